using Portal.Core.Common;

namespace Portal.Core.Teams;

/// <summary>One role that an IdP group confers: a team role (TeamSlug set) or a global role.</summary>
public sealed record RoleGrant(string? TeamSlug, TeamRole? TeamRole, GlobalRole? GlobalRole)
{
    /// <summary>Parses <c>team-slug:Role</c> or <c>global:Auditor</c>.</summary>
    public static Result<RoleGrant> Parse(string text)
    {
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && parts[0] == "global" && Enum.TryParse<GlobalRole>(parts[1], ignoreCase: false, out var global) && Enum.IsDefined(global))
            return new RoleGrant(null, null, global);
        if (parts.Length == 2 && Slug.IsValid(parts[0]) && Enum.TryParse<TeamRole>(parts[1], ignoreCase: false, out var role) && Enum.IsDefined(role))
            return new RoleGrant(parts[0], role, null);
        return Error.Validation("mapping.invalid",
            $"'{text}' is not a role grant: use 'team-slug:Viewer|Contributor|Approver|TeamAdmin' or 'global:Auditor|PlatformAdmin'.");
    }
}

/// <summary>IdP group name to the roles it confers (configuration <c>Sso:GroupMappings</c>).</summary>
public sealed class GroupMapping(IReadOnlyDictionary<string, IReadOnlyList<RoleGrant>> grants)
{
    public IReadOnlyDictionary<string, IReadOnlyList<RoleGrant>> Grants { get; } = grants;

    public static Result<GroupMapping> Parse(IReadOnlyDictionary<string, string[]> raw)
    {
        var grants = new Dictionary<string, IReadOnlyList<RoleGrant>>(StringComparer.Ordinal);
        foreach (var (group, texts) in raw)
        {
            var list = new List<RoleGrant>();
            foreach (var text in texts)
            {
                var parsed = RoleGrant.Parse(text);
                if (!parsed.IsSuccess)
                    return Error.Validation("mapping.invalid", $"Sso:GroupMappings:{group}: {parsed.Error!.Message}");
                list.Add(parsed.Value);
            }
            grants[group] = list;
        }
        return new GroupMapping(grants);
    }

    public IEnumerable<(string Group, RoleGrant Grant)> Resolve(IEnumerable<string> groups) =>
        groups.Distinct(StringComparer.Ordinal)
            .Where(Grants.ContainsKey)
            .SelectMany(g => Grants[g].Select(grant => (g, grant)));
}
