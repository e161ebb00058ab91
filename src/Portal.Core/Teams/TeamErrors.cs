using Portal.Core.Common;

namespace Portal.Core.Teams;

/// <summary>The stable error codes of the Teams feature, documented in the API reference.</summary>
public static class TeamErrors
{
    // A caller who may not see a team learns nothing about it: same answer as a missing team.
    public static Error NotFound(string slug) => Error.NotFound("team.not-found", $"There is no team '{slug}' that you can see.");
    public static Error Forbidden(string what) => Error.Forbidden("team.forbidden", $"Your role in this team does not allow you to {what}.");
    public static Error GlobalForbidden(string what) => Error.Forbidden("platform.forbidden", $"Your global roles do not allow you to {what}.");
    public static readonly Error Exists = Error.Conflict("team.exists", "A team with this slug already exists.");
    public static readonly Error UserNotFound = Error.NotFound("user.not-found", "No user with this e-mail has signed in to the portal yet.");
    public static readonly Error UserAmbiguous = Error.Conflict("user.ambiguous",
        "Several people who signed in share this e-mail address, so it does not say whom to grant the role to.");
    public static readonly Error MembershipRaced = Error.Conflict("membership.raced",
        "This person's roles changed at the same moment, by someone else; reload the members and try again.");
    public static readonly Error MembershipNotFound = Error.NotFound("membership.not-found", "This membership does not exist.");
    public static readonly Error IdpManaged = Error.Conflict("membership.idp-managed",
        "This role comes from an IdP group; remove the person from the group in your identity provider.");
    public static readonly Error TokenNotFound = Error.NotFound("token.not-found", "This API token does not exist.");
}
