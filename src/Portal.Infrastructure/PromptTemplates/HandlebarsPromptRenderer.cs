using System.Text.RegularExpressions;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using HandlebarsDotNet;
using Portal.Core.Common;
using Portal.Core.PromptTemplates;

namespace Portal.Infrastructure.PromptTemplates;

/// <summary>Handlebars without HTML escaping: prompts are plain text sent to a model, not HTML.</summary>
public sealed partial class HandlebarsPromptRenderer : IPromptRenderer
{
    private static readonly IHandlebars Engine = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });

    // {{name}}, {{{name}}}, {{#if name}}, {{#each name}}: the first identifier after the opening braces and block keyword.
    [GeneratedRegex(@"\{\{\{?\s*(?:[#^/]\s*(?:if|unless|each|with)\s+)?([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    private static readonly HashSet<string> Keywords = ["if", "unless", "each", "with", "else", "this", "lookup", "log"];

    public Result<string> Render(string template, IReadOnlyDictionary<string, string> inputs)
    {
        try
        {
            return Engine.Compile(template)(inputs.ToDictionary(p => p.Key, p => (object)p.Value));
        }
        catch (HandlebarsException ex)
        {
            return Error.Validation("prompt.template-invalid", $"The template does not parse: {ex.Message}");
        }
    }

    public IReadOnlyList<string> VariablesIn(string template) =>
        Reference().Matches(template).Select(m => m.Groups[1].Value).Where(v => !Keywords.Contains(v)).Distinct().Order(StringComparer.Ordinal).ToList();
}

public sealed class DiffPlexTextDiffer : ITextDiffer
{
    public IReadOnlyList<DiffLine> Diff(string before, string after) =>
        InlineDiffBuilder.Diff(before, after, ignoreWhiteSpace: false).Lines
            .Select(l => new DiffLine(l.Type switch
            {
                ChangeType.Inserted => DiffLineKind.Added,
                ChangeType.Deleted => DiffLineKind.Removed,
                _ => DiffLineKind.Unchanged,
            }, l.Text ?? ""))
            .ToList();
}
