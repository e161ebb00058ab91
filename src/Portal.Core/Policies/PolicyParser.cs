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
