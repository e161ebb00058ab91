using Portal.Core.Common;
using Portal.Core.GoldenChecks;
using Portal.Core.PromptTemplates;

namespace Portal.UnitTests.GoldenChecks;

public class GoldenPromptCasesTests
{
    /// <summary>Replaces {{name}} only: enough to test the expectations without the Handlebars engine.</summary>
    private sealed class SimpleRenderer : IPromptRenderer
    {
        public Result<string> Render(string template, IReadOnlyDictionary<string, string> inputs) =>
            inputs.Aggregate(template, (text, p) => text.Replace("{{" + p.Key + "}}", p.Value, StringComparison.Ordinal));

        public IReadOnlyList<string> VariablesIn(string template) =>
            System.Text.RegularExpressions.Regex.Matches(template, @"\{\{(\w+)\}\}").Select(m => m.Groups[1].Value).Distinct().ToList();
    }

    private const string Template = "Dear {{name}}, your plan {{plan}} renews soon.";

    private static IReadOnlyList<string> Check(string caseJson) =>
        GoldenPromptCases.Check(new SimpleRenderer(), Template, GoldenPromptCases.Parse(caseJson).Single());

    [Fact]
    public void A_case_meeting_every_expectation_passes()
    {
        Assert.Empty(Check("""{"variables":{"name":"Ann","plan":"Pro"},"contains":["ann","pro"],"notContains":["cancel"],"matches":["^Dear \\w+"],"maxChars":60,"snapshot":"Dear Ann, your plan Pro renews soon."}"""));
    }

    [Theory]
    [InlineData("""{"variables":{"name":"Ann"}}""", "variables not bound: plan")]
    [InlineData("""{"variables":{"name":"Ann","plan":"Pro"},"contains":["discount"]}""", "does not contain \"discount\"")]
    [InlineData("""{"variables":{"name":"Ann","plan":"Pro"},"notContains":["renews"]}""", "contains the forbidden \"renews\"")]
    [InlineData("""{"variables":{"name":"Ann","plan":"Pro"},"matches":["^Hello"]}""", "does not match /^Hello/")]
    [InlineData("""{"variables":{"name":"Ann","plan":"Pro"},"maxChars":10}""", "characters, more than 10")]
    [InlineData("""{"variables":{"name":"Ann","plan":"Pro"},"maxTokens":3}""", "tokens, more than 3")]
    [InlineData("""{"variables":{"name":"Ann","plan":"Pro"},"snapshot":"Dear Bob"}""", "differs from its snapshot")]
    [InlineData("""{"variables":{"name":"Ann","plan":"Pro"},"matches":["("]}""", "is invalid or too slow")]
    public void Each_unmet_expectation_is_named(string caseJson, string reason)
    {
        Assert.Contains(Check(caseJson), r => r.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_line_that_is_not_a_case_is_refused_with_its_number()
    {
        var error = Assert.Throws<GoldenCheckException>(() => GoldenPromptCases.Parse("{\"variables\":{}}\nnot json"));

        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
    }
}
