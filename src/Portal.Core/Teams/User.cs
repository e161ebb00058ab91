namespace Portal.Core.Teams;

/// <summary>A person known through the IdP; the key is issuer + subject (DESIGN.md).</summary>
public sealed class User
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Issuer { get; set; }
    public required string Subject { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    /// <summary>The IdP groups seen at the last sign-in, for the profile page.</summary>
    public List<string> Groups { get; set; } = [];
    public bool IsDisabled { get; set; }
    /// <summary>Changes whenever the user's roles or status change, so open sessions notice within a minute.</summary>
    public string SecurityStamp { get; set; } = NewStamp();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }

    public static string NewStamp() => Guid.NewGuid().ToString("N");
}
