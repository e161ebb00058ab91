// Draws a version's lineage with Cytoscape.js and the dagre layered layout, left to right.
// The libraries are the portal's own static files, loaded on first use (CSP: script-src 'self').
const libraries = ["lib/cytoscape/cytoscape.min.js", "lib/cytoscape/dagre.min.js", "lib/cytoscape/cytoscape-dagre.js"];
let loading;

function loadScript(src) {
    return new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = () => reject(new Error("Could not load " + src));
        document.head.appendChild(script);
    });
}

function loadLibraries() {
    // In order: cytoscape-dagre registers itself with the cytoscape and dagre globals.
    loading ??= libraries.reduce((chain, src) => chain.then(() => loadScript(src)), Promise.resolve());
    return loading;
}

const graphs = new WeakMap();

export async function render(container, nodes, links) {
    await loadLibraries();
    graphs.get(container)?.destroy();
    const cy = window.cytoscape({
        container,
        elements: [
            ...nodes.map(n => ({ data: n })),
            ...links.map((l, i) => ({ data: { id: "e" + i, source: l.from, target: l.to, label: l.kind } })),
        ],
        layout: { name: "dagre", rankDir: "LR", nodeSep: 24, rankSep: 80 },
        // Hundreds of nodes only fit the frame far out; the labels then give way to coloured boxes (min-zoomed-font-size)
        // and come back as the reader zooms in or searches.
        minZoom: 0.02,
        maxZoom: 3,
        textureOnViewport: true,
        style: [
            {
                selector: "node", style: {
                    "label": "data(label)", "background-color": "data(color)", "shape": "round-rectangle",
                    "width": "label", "height": 28, "padding": "8px", "color": "#ffffff", "font-size": 12,
                    "text-valign": "center", "text-halign": "center", "border-width": 0, "min-zoomed-font-size": 6,
                },
            },
            { selector: "node[root]", style: { "border-width": 3, "border-color": "#111827" } },
            { selector: "node.match", style: { "border-width": 3, "border-color": "#f59e0b" } },
            { selector: ".dimmed", style: { "opacity": 0.25 } },
            {
                selector: "edge", style: {
                    "width": 1.5, "line-color": "#6b7280", "target-arrow-color": "#6b7280", "target-arrow-shape": "triangle",
                    "curve-style": "bezier", "label": "data(label)", "font-size": 9, "color": "#374151", "text-rotation": "autorotate",
                    "min-zoomed-font-size": 8,
                },
            },
        ],
    });
    showWhole(cy);
    cy.on("tap", "node", e => {
        const href = e.target.data("href");
        if (href) window.location.assign(href);
    });
    graphs.set(container, cy);
}

export function highlight(container, term) {
    const cy = graphs.get(container);
    if (!cy) return 0;
    const text = (term ?? "").trim().toLowerCase();
    cy.elements().removeClass("match dimmed");
    if (!text) return 0;
    const matches = cy.nodes().filter(n => (n.data("label") ?? "").toLowerCase().includes(text));
    cy.nodes().difference(matches).addClass("dimmed");
    cy.edges().difference(matches.connectedEdges()).addClass("dimmed");
    matches.addClass("match");
    if (matches.length) frame(cy, matches);
    return matches.length;
}

// Fits the elements in view, but a few of them are not blown up past a readable size.
function frame(cy, eles) {
    cy.fit(eles, 40);
    if (cy.zoom() > 1.1) {
        cy.zoom(1.1);
        cy.center(eles);
    }
}

// The dagre layout has run by now: it is synchronous.
function showWhole(cy) {
    frame(cy, cy.elements());
}

export function fit(container) {
    const cy = graphs.get(container);
    if (cy) showWhole(cy);
}

export function dispose(container) {
    graphs.get(container)?.destroy();
    graphs.delete(container);
}
