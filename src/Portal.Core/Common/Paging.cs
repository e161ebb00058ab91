namespace Portal.Core.Common;

/// <summary>The rules every paged list shares, so a bad limit or a tampered cursor is a 400 everywhere, never a silent first page.</summary>
public static class Paging
{
    public const int MaxLimit = 200;
    public const string CursorMessage = "Pass the nextCursor of the previous page unchanged.";

    public static string? LimitProblem(int limit) => limit is < 1 or > MaxLimit ? $"Between 1 and {MaxLimit}." : null;

    public static Error Invalid(IReadOnlyDictionary<string, string[]> fields) =>
        Error.Validation("query.invalid", "Some query parameters are invalid.", fields);
}
