using Portal.Core.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Core.Policies;

/// <summary>
/// Turns policy YAML into a <see cref="PolicyDocument"/>, or a validation error whose messages name the
/// line and column of each problem. YamlDotNet's node model is used rather than its object
/// deserializer because it keeps every node's position and never constructs types named in the text.
/// </summary>
public static class PolicyParser
{
    public const int MaxLength = 64 * 1024;
    public const string InvalidCode = "policy.invalid";

    /// <summary>The field of the validation error that carries the located messages.</summary>
    public const string Field = "yaml";

    public static Result<PolicyDocument> Parse(string yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
            return Invalid(["line 1, column 1: the policy is empty; start with 'policy: <name>' and 'rules:'"]);
        if (yaml.Length > MaxLength)
            return Invalid([$"line 1, column 1: a policy may have at most {MaxLength / 1024} KiB"]);
        if (TooDeep(yaml) is { } deep)
            return Invalid([PolicyReader.At(deep, $"the policy nests deeper than {MaxDepth} levels; a policy needs a few")]);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            return Invalid([PolicyReader.At(e.Start, SyntaxMessage(e))]);
        }
        if (stream.Documents.Count != 1)
            return Invalid(["line 1, column 1: write exactly one YAML document"]);
        var reader = new PolicyReader();
        var document = reader.Read(stream.Documents[0].RootNode);
        return document is not null && reader.Errors.Count == 0 ? document : Invalid(reader.Errors);
    }

    /// <summary>Far deeper than any policy (its rules nest four levels), far shallower than what exhausts a thread's stack.</summary>
    private const int MaxDepth = 32;

    /// <summary>
    /// Where the text first nests deeper than <see cref="MaxDepth"/>, or null. YamlDotNet's node model is built recursively, one call per
    /// level with no limit: 20,000 '[' in a 64 KiB policy overflowed the stack, which no catch survives, and took the process down.
    /// Its parser is a state machine, so counting its events first is safe at any depth.
    /// </summary>
    private static Mark? TooDeep(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart && ++depth > MaxDepth)
                    return parser.Current.Start;
                if (parser.Current is YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd)
                    depth--;
            }
        }
        catch (YamlException)
        {
            // A syntax error is reported by the load that follows, with its position.
        }
        return null;
    }

    private static Error Invalid(IReadOnlyList<string> messages) =>
        Error.Validation(InvalidCode, $"The policy is not valid: {messages[0]}", new Dictionary<string, string[]> { [Field] = messages.ToArray() });

    /// <summary>YamlDotNet prefixes its messages with both marks; the location is given once, in our own words.</summary>
    private static string SyntaxMessage(YamlException e)
    {
        var message = (e.InnerException as YamlException ?? e).Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return (message.StartsWith("(Line", StringComparison.Ordinal) && cut > 0 ? message[(cut + 3)..] : message).TrimEnd('.');
    }
}
