using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Core.PromptTemplates;

namespace Portal.Core.GoldenChecks;

/// <summary>One golden case of a prompt template, a line of the cases file (JSON Lines).</summary>
public sealed record PromptCase(
    string? Name,
    Dictionary<string, string>? Variables,
    List<string>? Contains,
    List<string>? NotContains,
    List<string>? Matches,
    int? MaxChars,
    int? MaxTokens,
    string? Snapshot);

/// <summary>Renders each case with the portal's Handlebars renderer and checks its expectations.</summary>
public static class GoldenPromptCases
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(200);

    public static IReadOnlyList<PromptCase> Parse(string jsonLines)
    {
        var cases = new List<PromptCase>();
        var number = 0;
        foreach (var line in jsonLines.Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                var c = JsonSerializer.Deserialize<PromptCase>(line, Json) ?? throw new JsonException("null");
                cases.Add(c with { Name = c.Name ?? $"line {number}" });
            }
            catch (JsonException)
            {
                throw new GoldenCheckException($"Line {number} of the cases file is not a JSON object such as {{\"variables\": {{...}}, \"contains\": [...]}}.");
            }
        }
        return cases.Count == 0 ? throw new GoldenCheckException("The cases file holds no case.") : cases;
    }

    /// <summary>The reasons a case fails, empty when it passes.</summary>
    public static IReadOnlyList<string> Check(IPromptRenderer renderer, string template, PromptCase c)
    {
        var variables = c.Variables ?? [];
        var unbound = renderer.VariablesIn(template).Where(v => !variables.ContainsKey(v)).ToList();
        if (unbound.Count > 0)
            return [$"variables not bound: {string.Join(", ", unbound)}"];
        var rendered = renderer.Render(template, variables);
        if (!rendered.IsSuccess)
            return [rendered.Error!.Message];
        var text = rendered.Value;
        var reasons = new List<string>();
        reasons.AddRange((c.Contains ?? []).Where(p => !text.Contains(p, StringComparison.OrdinalIgnoreCase)).Select(p => $"does not contain \"{p}\""));
        reasons.AddRange((c.NotContains ?? []).Where(p => text.Contains(p, StringComparison.OrdinalIgnoreCase)).Select(p => $"contains the forbidden \"{p}\""));
        foreach (var pattern in c.Matches ?? [])
        {
            try
            {
                if (!Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, RegexBudget))
                    reasons.Add($"does not match /{pattern}/");
            }
            catch (Exception ex) when (ex is ArgumentException or RegexMatchTimeoutException)
            {
                reasons.Add($"the pattern /{pattern}/ is invalid or too slow");
            }
        }
        if (c.MaxChars is { } chars && text.Length > chars)
            reasons.Add($"{text.Length} characters, more than {chars}");
        if (c.MaxTokens is { } tokens && Tokens(text) > tokens)
            reasons.Add($"about {Tokens(text)} tokens, more than {tokens}");
        if (c.Snapshot is { } snapshot && !string.Equals(Normalize(snapshot), Normalize(text), StringComparison.Ordinal))
            reasons.Add("differs from its snapshot");
        return reasons;
    }

    /// <summary>
    /// A tokenizer-free estimate, documented on the check form: words and punctuation marks each count one,
    /// and long words one per four characters, close to what BPE tokenizers give for English.
    /// </summary>
    public static int Tokens(string text) =>
        Regex.Matches(text, @"\w+|[^\w\s]", RegexOptions.CultureInvariant).Sum(m => Math.Max(1, (m.Length + 3) / 4));

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
