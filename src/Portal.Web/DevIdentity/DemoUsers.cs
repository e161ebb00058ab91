namespace Portal.Web.DevIdentity;

public sealed record DemoUser(string Subject, string Name, string Email, string RoleSummary, string[] Groups);

/// <summary>
/// The people of the embedded default. They reach their roles the production way: through IdP groups
/// and the <c>Sso:GroupMappings</c> of appsettings.json.
/// </summary>
public static class DemoUsers
{
    public static IReadOnlyList<DemoUser> All { get; } =
    [
        new("u-maya", "Maya Contreras", "maya@example.com", "Marketing · Contributor", ["marketing-contributors"]),
        new("u-victor", "Victor Hale", "victor@example.com", "Marketing · Viewer", ["marketing-viewers"]),
        new("u-amara", "Amara Obi", "amara@example.com", "Marketing · Approver", ["marketing-approvers"]),
        new("u-tomas", "Tomás Lindqvist", "tomas@example.com", "Marketing · TeamAdmin", ["marketing-admins"]),
        new("u-farah", "Farah Haddad", "farah@example.com", "Finance · Contributor", ["finance-contributors"]),
        new("u-felix", "Felix Braun", "felix@example.com", "Finance · Viewer", ["finance-viewers"]),
        new("u-grace", "Grace Kim", "grace@example.com", "Finance · Approver", ["finance-approvers"]),
        new("u-henrik", "Henrik Sørensen", "henrik@example.com", "Finance · TeamAdmin", ["finance-admins"]),
        new("u-rui", "Rui Costa", "rui@example.com", "Risk · Approver (second sign-off on credit models)", ["risk-approvers"]),
        new("u-sam", "Sam Patel", "sam@example.com", "Marketing · Viewer, Finance · Contributor", ["marketing-viewers", "finance-contributors"]),
        new("u-aude", "Aude Laurent", "aude@example.com", "Auditor (all teams, read-only)", ["portal-auditors"]),
        new("u-pat", "Pat Nakamura", "pat@example.com", "Platform admin", ["portal-admins"]),
    ];

    public static DemoUser? Find(string? subject) => All.FirstOrDefault(u => u.Subject == subject);
}
