// Copies text for the pages' "Copy" buttons (a module: CSP allows no inline script).
export function copy(text) {
    return navigator.clipboard.writeText(text);
}
