namespace Portal.Core.GoldenChecks;

/// <summary>Something a team's role should look at (a failing golden check on Production...), shown on their home page.</summary>
public sealed class Notification
{
    public const string Approvers = "approvers";
    public const int MaxBodyLength = 2000;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TeamId { get; set; }
    /// <summary>Which members see it: <see cref="Approvers"/> (Approvers and TeamAdmins of the team).</summary>
    public required string Audience { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    /// <summary>The version it is about.</summary>
    public Guid? SubjectId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
