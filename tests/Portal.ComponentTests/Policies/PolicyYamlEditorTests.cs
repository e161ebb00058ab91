using Bunit;
using Portal.Core.Common;
using Portal.Core.Policies;
using Portal.Web.Components.Pages.Policies;

namespace Portal.ComponentTests.Policies;

public sealed class PolicyYamlEditorTests : PortalComponentTest
{
    [Fact]
    public void Parse_errors_are_listed_under_the_editor_with_line_and_column()
    {
        var error = PolicyParser.Parse("policy: p\nrules:\n  - metrc: accuracy\n  - golden-check: { passed-within-days: x }\n").Error;

        var editor = Render<PolicyYamlEditor>(p => p.Add(c => c.Text, "policy: p").Add(c => c.Error, error));

        var messages = editor.FindAll("[data-testid=policy-error]").Select(e => e.TextContent).ToList();
        Assert.Equal(2, messages.Count);
        Assert.StartsWith("line 3, column 5: unknown rule kind 'metrc'", messages[0]);
        Assert.StartsWith("line 4, column 41:", messages[1]);
        Assert.Contains("mud-input-error", editor.Markup);
    }

    [Fact]
    public void Weakening_refusal_names_the_global_rule()
    {
        var error = Error.Validation(PolicyWeakening.Code, "refused",
            new Dictionary<string, string[]> { [PolicyParser.Field] = ["'accuracy at-least baseline + 0.005' lowers accuracy ... global policy 'platform' (revision 2)"] });

        var editor = Render<PolicyYamlEditor>(p => p.Add(c => c.Error, error));

        Assert.Contains("may only add rules or tighten them", editor.Find("[data-testid=policy-errors]").TextContent);
        Assert.Contains("global policy 'platform'", editor.Find("[data-testid=policy-error]").TextContent);
    }

    [Fact]
    public void Without_an_error_nothing_is_flagged()
    {
        var editor = Render<PolicyYamlEditor>(p => p.Add(c => c.Text, "policy: p"));

        Assert.Empty(editor.FindAll("[data-testid=policy-errors]"));
    }

    [Fact]
    public void Typing_reports_the_new_text()
    {
        var text = "";
        var editor = Render<PolicyYamlEditor>(p => p.Add(c => c.Text, "").Add(c => c.TextChanged, (string t) => text = t));

        editor.Find("textarea").Input("policy: typed");

        Assert.Equal("policy: typed", text);
    }
}
