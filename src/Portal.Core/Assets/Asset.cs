using System.Text.RegularExpressions;
using Portal.Core.Common;

namespace Portal.Core.Assets;

public enum AssetKind
{
    Model = 1,
    Dataset = 2,
    PromptTemplate = 3,
}

/// <summary>A governed AI asset of one team: a model, a dataset or a prompt template.</summary>
public sealed partial class Asset
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 4000;
    public const int MaxTags = 30;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TeamId { get; set; }
    public AssetKind Kind { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public required string Owner { get; set; }
    public List<string> Tags { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Grows with every edit; the API's ETag, so a stale If-Match is refused.</summary>
    public int Revision { get; set; } = 1;
    /// <summary>The Production version a promotion retired: the last known good one, restored by a rollback.</summary>
    public Guid? RollbackVersionId { get; set; }

    // Letters and digits of any script (modèle, 日本語モデル): names appear percent-encoded in URLs.
    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{M}\p{N}._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9:=._/-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    public static bool IsValidName(string? name) => !Names.HasUnsafeCharacters(name) && NamePattern().IsMatch(name ?? "");

    public static Error? Validate(string name, string description, IReadOnlyCollection<string> tags, string owner)
    {
        var fields = new Dictionary<string, string[]>();
        if (Names.Problem(name) is { } unsafeName)
            fields["name"] = [unsafeName];
        else if (!NamePattern().IsMatch(name ?? ""))
            fields["name"] = ["Use 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit."];
        if ((description ?? "").Length > MaxDescriptionLength)
            fields["description"] = [$"The description may have at most {MaxDescriptionLength} characters."];
        else if (Names.TextProblem(description) is { } badText)
            fields["description"] = [badText];
        if (string.IsNullOrWhiteSpace(owner) || owner.Length > 200)
            fields["owner"] = ["An owner (person or group) is required, at most 200 characters."];
        else if (Names.Problem(owner) is { } unsafeOwner)
            fields["owner"] = [unsafeOwner];
        if (TagError(tags) is { } tagError)
            fields["tags"] = [tagError];
        return fields.Count == 0 ? null : Error.Validation("asset.invalid", "The asset has invalid fields.", fields);
    }

    public static string? TagError(IReadOnlyCollection<string> tags) =>
        tags.Count > MaxTags ? $"At most {MaxTags} tags."
        : tags.Any(Names.HasUnsafeCharacters) ? Names.UnsafeMessage
        : tags.FirstOrDefault(t => !TagPattern().IsMatch(t)) is { } bad ? $"'{bad}' is not a tag: lower-case letters, digits and : = . _ / - (at most 64)."
        : null;
}

/// <summary>Read-only access to an asset for another team.</summary>
public sealed class AssetShare
{
    public Guid AssetId { get; set; }
    public Guid TeamId { get; set; }
    public DateTimeOffset SharedAt { get; set; }
    public required string SharedBy { get; set; }
}
