namespace Portal.Core.Policies;

/// <summary>One saved text of a policy, global (<see cref="TeamId"/> null) or of a team. Every save adds a revision; none is ever changed.</summary>
public sealed class PolicyRevision
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid? TeamId { get; private set; }

    /// <summary>
    /// The team's id, or <see cref="Guid.Empty"/> for a global policy. Uniqueness of (scope, name, number)
    /// needs a non-null column: in a unique index PostgreSQL and SQLite treat nulls as distinct and SQL
    /// Server leaves them out, so a nullable team id would let two global revisions share a number.
    /// </summary>
    public Guid ScopeId { get; private set; }

    public required string Name { get; init; }
    public int Number { get; init; }
    public required string Yaml { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }

    public bool IsGlobal => TeamId is null;

    public static PolicyRevision Create(Guid? teamId, string name, int number, string yaml, string createdBy, DateTimeOffset at) => new()
    {
        TeamId = teamId,
        ScopeId = teamId ?? Guid.Empty,
        Name = name,
        Number = number,
        Yaml = yaml,
        CreatedBy = createdBy,
        CreatedAt = at,
    };
}
