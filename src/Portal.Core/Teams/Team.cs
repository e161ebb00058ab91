using Portal.Core.Common;

namespace Portal.Core.Teams;

public sealed class Team
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 2000;

    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Bytes of artifacts the team may keep; null falls back to the configured default.</summary>
    public long? StorageQuotaBytes { get; set; }

    public static Error? Validate(string slug, string name, string description)
    {
        var fields = new Dictionary<string, string[]>();
        if (!Common.Slug.IsValid(slug))
            fields["slug"] = ["Use 1-64 lower-case letters, digits or dashes, starting and ending with a letter or digit."];
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
            fields["name"] = [$"A name is required and may have at most {MaxNameLength} characters."];
        else if (Names.Problem(name) is { } unsafeName)
            fields["name"] = [unsafeName];
        if (description.Length > MaxDescriptionLength)
            fields["description"] = [$"The description may have at most {MaxDescriptionLength} characters."];
        else if (Names.TextProblem(description) is { } badText)
            fields["description"] = [badText];
        return fields.Count == 0 ? null : Error.Validation("team.invalid", "The team has invalid fields.", fields);
    }
}
