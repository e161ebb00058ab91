namespace Portal.Core.Common;

public enum ActorKind
{
    User,
    ServicePrincipal,
    Job,
    System,
}

/// <summary>
/// Who performs an operation, with the request facts the audit trail keeps. Pages, endpoints and jobs
/// build it; services never read HttpContext.
/// </summary>
public sealed record Actor(ActorKind Kind, string Id, string Name)
{
    public Guid? UserId { get; init; }
    /// <summary>For a service principal: the person who created its token, who cannot approve through it what they may not approve.</summary>
    public Guid? OnBehalfOfUserId { get; init; }

    /// <summary>One key per person, whether they act in a session or through a token they created.</summary>
    public string PersonKey => (UserId ?? OnBehalfOfUserId)?.ToString() ?? Kind + ":" + Id;
    public string? CorrelationId { get; init; }
    public string? ClientAddress { get; init; }

    public static Actor System(string name) => new(ActorKind.System, "system", name);
    public static Actor Job(string jobName, string? correlationId = null) =>
        new(ActorKind.Job, jobName, jobName) { CorrelationId = correlationId };
    public static Actor ForUser(Guid userId, string name) =>
        new(ActorKind.User, userId.ToString(), name) { UserId = userId };
}
