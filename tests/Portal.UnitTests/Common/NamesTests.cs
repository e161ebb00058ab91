using Portal.Core.Common;

namespace Portal.UnitTests.Common;

public sealed class NamesTests
{
    /// <summary>Every C0 and C1 control, the line and paragraph separators, and every bidirectional mark, embedding, override and isolate.</summary>
    public static TheoryData<int> UnsafeCodePoints()
    {
        var data = new TheoryData<int>();
        foreach (var c in Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21))
            .Concat([0x2028, 0x2029, 0x200E, 0x200F, 0x061C]).Concat(Enumerable.Range(0x202A, 5)).Concat(Enumerable.Range(0x2066, 4)))
            data.Add(c);
        return data;
    }

    [Theory]
    [MemberData(nameof(UnsafeCodePoints))]
    public void Control_and_bidirectional_characters_are_refused_anywhere_in_a_name(int codePoint)
    {
        var c = (char)codePoint;

        Assert.Equal(Names.UnsafeMessage, Names.Problem($"{c}name"));
        Assert.Equal(Names.UnsafeMessage, Names.Problem($"na{c}me"));
        Assert.Equal(Names.UnsafeMessage, Names.Problem($"name{c}"));
    }

    // Code units, not strings: the test runner would repair a lone surrogate in a string argument.
    [Theory]
    [InlineData(0xD800)]
    [InlineData(0xDC00)]
    [InlineData(0xDBFF)]
    public void Lone_surrogates_are_refused_because_no_database_can_store_them(int codeUnit)
    {
        var name = $"a{(char)codeUnit}b";

        Assert.Equal(Names.UnsafeMessage, Names.Problem(name));
        Assert.NotNull(Names.TextProblem(name));
    }

    [Theory]
    [InlineData("modèle")]
    [InlineData("日本語モデル")]
    [InlineData("صورة")]
    [InlineData("emoji-😀")]
    [InlineData("Zoë Ångström")]
    public void Names_in_any_script_are_accepted(string name) => Assert.Null(Names.Problem(name));

    [Fact]
    public void A_name_over_the_limit_is_refused_with_the_limit_in_the_message() =>
        Assert.Equal("At most 5 characters.", Names.Problem("abcdef", 5));

    [Theory]
    [InlineData("line one\nline two\r\n\tindented")]
    [InlineData("مرحبا \u200F text")]
    public void Descriptions_may_hold_line_breaks_tabs_and_direction_marks(string text) => Assert.Null(Names.TextProblem(text));

    [Theory]
    [InlineData("nul \0 inside")]
    [InlineData("escape \u001B[31m red")]
    public void Descriptions_refuse_other_control_characters(string text) => Assert.NotNull(Names.TextProblem(text));

    [Fact]
    public void The_two_spellings_of_an_accented_letter_are_one_name() =>
        Assert.Equal("modèle", Names.Canonical("mode\u0300le"));
}
