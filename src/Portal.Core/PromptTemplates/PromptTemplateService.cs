using Portal.Core.Access;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.PromptTemplates;

/// <summary>Renders a template with named inputs (the engine lives in Portal.Infrastructure).</summary>
public interface IPromptRenderer
{
    Result<string> Render(string template, IReadOnlyDictionary<string, string> inputs);

    /// <summary>The variable names the template text refers to.</summary>
    IReadOnlyList<string> VariablesIn(string template);
}

public enum DiffLineKind
{
    Unchanged,
    Added,
    Removed,
}

public sealed record DiffLine(DiffLineKind Kind, string Text);

public interface ITextDiffer
{
    IReadOnlyList<DiffLine> Diff(string before, string after);
}

public sealed record PromptTemplateView(string Version, string Path, string Text, IReadOnlyList<string> DeclaredVariables, IReadOnlyList<string> UsedVariables,
    IReadOnlyList<string> UndeclaredVariables);

/// <summary>Prompt templates: the template text is the version's artifact; preview renders and diffs between versions.</summary>
public sealed class PromptTemplateService(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore store, IPromptRenderer renderer, ITextDiffer differ)
{
    public const int MaxTemplateBytes = 256 * 1024;
    private static readonly string[] TemplateNames = ["prompt.hbs", "template.hbs", "prompt.txt", "template.txt"];

    public async Task<Result<PromptTemplateView>> GetAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        if (found.Value.Asset.Kind != AssetKind.PromptTemplate)
            return Error.Validation("prompt.not-a-template", "This asset is not a prompt template.");
        var v = found.Value.Version;
        var artifacts = await db.Artifacts.AsNoTracking().Where(a => a.VersionId == v.Id).ToListAsync(ct);
        var artifact = artifacts.FirstOrDefault(a => TemplateNames.Contains(a.Path.Split('/')[^1], StringComparer.OrdinalIgnoreCase))
            ?? (artifacts.Count == 1 ? artifacts[0] : null);
        if (artifact is null)
            return Error.NotFound("prompt.template-missing", "The version has no template file: upload prompt.hbs (Handlebars text).");
        if (artifact.Size > MaxTemplateBytes)
            return Error.Validation("prompt.template-too-large", $"Templates larger than {MaxTemplateBytes / 1024} KiB are not previewed.");
        await using var stream = await store.OpenReadAsync(artifact.Sha256, ct);
        if (stream is null)
            return RegistryErrors.BlobCorrupt;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var used = renderer.VariablesIn(text);
        return new PromptTemplateView(v.Version, artifact.Path, text, v.PromptVariables, used, used.Except(v.PromptVariables).ToList());
    }

    public async Task<Result<string>> PreviewAsync(CallerAccess caller, string team, string asset, string version, IReadOnlyDictionary<string, string> inputs, CancellationToken ct = default)
    {
        var template = await GetAsync(caller, team, asset, version, ct);
        if (!template.IsSuccess)
            return template.Error!;
        var missing = template.Value.UsedVariables.Where(v => !inputs.ContainsKey(v)).ToList();
        if (missing.Count > 0)
            return Error.Validation("prompt.inputs-missing", $"Give a sample value for: {string.Join(", ", missing)}.");
        return renderer.Render(template.Value.Text, inputs);
    }

    public async Task<Result<IReadOnlyList<DiffLine>>> DiffAsync(CallerAccess caller, string team, string asset, string fromVersion, string toVersion, CancellationToken ct = default)
    {
        var from = await GetAsync(caller, team, asset, fromVersion, ct);
        if (!from.IsSuccess)
            return from.Error!;
        var to = await GetAsync(caller, team, asset, toVersion, ct);
        if (!to.IsSuccess)
            return to.Error!;
        return Result<IReadOnlyList<DiffLine>>.From(differ.Diff(from.Value.Text, to.Value.Text));
    }
}
