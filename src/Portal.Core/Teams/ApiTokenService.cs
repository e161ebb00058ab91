using Portal.Core.Access;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Teams;

public sealed record ApiTokenView(Guid Id, string Name, TeamRole Role, bool MayRecordEvidence, string Prefix, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt)
{
    /// <summary>Its issuer is disabled, no longer administers the team or no longer holds the token's role: it is refused until they do again.</summary>
    public bool IssuerLapsed { get; init; }

    public string StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? "Revoked" : ExpiresAt <= now ? "Expired" : IssuerLapsed ? "Issuer lacks authority" : "Active";
}

/// <summary>The token text, returned once at creation and never again.</summary>
public sealed record IssuedApiToken(ApiTokenView Token, string Secret);

public sealed record ApiTokenPrincipal(Guid TokenId, string Name, Guid TeamId, string TeamSlug, string TeamName, TeamRole Role, bool MayRecordEvidence,
    Guid CreatedByUserId)
{
    /// <summary>The service principal the audit trail names, acting for the person who issued the token.</summary>
    public Actor Actor => new(ActorKind.ServicePrincipal, TokenId.ToString(), $"token:{Name}")
    {
        OnBehalfOfUserId = CreatedByUserId == Guid.Empty ? null : CreatedByUserId,
    };
}

public sealed class ApiTokenService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const string TokenPrefix = "ptk_";
    public const int MaxLifetimeDays = 365;

    public async Task<Result<IReadOnlyList<ApiTokenView>>> ListAsync(CallerAccess caller, string slug, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewApiTokens, slug) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Team!.Slug == slug)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new { t.CreatedByUserId, View = new ApiTokenView(t.Id, t.Name, t.Role, t.MayRecordEvidence, t.Prefix, t.CreatedByName, t.CreatedAt, t.ExpiresAt, t.RevokedAt) })
            .ToListAsync(ct);
        // The same rule as every request's: a token whose issuer no longer backs it is shown so, not as Active.
        var issuers = new Dictionary<Guid, CallerAccess?>();
        foreach (var id in rows.Select(r => r.CreatedByUserId).Distinct())
            issuers[id] = await AccessService.ForUserAsync(db, id, Actor.ForUser(id, ""), ct);
        return Result<IReadOnlyList<ApiTokenView>>.From(rows.Select(r => r.View with { IssuerLapsed = !Backs(issuers[r.CreatedByUserId], slug, r.View.Role) }).ToList());
    }

    /// <summary>Active tokens that lapse soon in the teams the caller administers: renewals wait for them.</summary>
    public async Task<IReadOnlyList<(string TeamSlug, ApiTokenView Token)>> ExpiringSoonAsync(CallerAccess caller, TimeSpan within, CancellationToken ct = default)
    {
        var slugs = caller.Teams.Keys.Where(slug => caller.Allows(PortalAction.ManageApiTokens, slug)).ToList();
        if (slugs.Count == 0)
            return [];
        var now = clock.GetUtcNow();
        var horizon = now + within;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ApiTokens.AsNoTracking()
            .Where(t => slugs.Contains(t.Team!.Slug) && t.RevokedAt == null && t.ExpiresAt > now && t.ExpiresAt <= horizon)
            .OrderBy(t => t.ExpiresAt)
            .Select(t => new { t.Team!.Slug, View = new ApiTokenView(t.Id, t.Name, t.Role, t.MayRecordEvidence, t.Prefix, t.CreatedByName, t.CreatedAt, t.ExpiresAt, t.RevokedAt) })
            .ToListAsync(ct);
        return rows.Select(r => (r.Slug, r.View)).ToList();
    }

    public async Task<Result<IssuedApiToken>> CreateAsync(CallerAccess caller, string slug, string name, TeamRole role, int lifetimeDays,
        bool mayRecordEvidence = false, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ManageApiTokens, slug) is { } denied)
            return denied;
        var fields = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Length > ApiToken.MaxNameLength)
            fields["name"] = [$"A name is required and may have at most {ApiToken.MaxNameLength} characters."];
        else if (Names.Problem(name) is { } unsafeName)
            fields["name"] = [unsafeName];
        if (!Enum.IsDefined(role))
            fields["role"] = ["Choose a role: Viewer, Contributor, Approver or TeamAdmin."];
        else if (role > MostFor(caller, slug))
            fields["role"] = [$"A token cannot carry more than your own role in this team ({MostFor(caller, slug)})."];
        if (mayRecordEvidence && role < TeamRole.Contributor)
            fields["mayRecordEvidence"] = ["Only a Contributor token or higher can record evidence."];
        if (lifetimeDays is < 1 or > MaxLifetimeDays)
            fields["lifetimeDays"] = [$"The lifetime must be between 1 and {MaxLifetimeDays} days."];
        if (fields.Count > 0)
            return Error.Validation("token.invalid", "The token request has invalid fields.", fields);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Slug == slug, ct);
        if (team is null)
            return TeamErrors.NotFound(slug);
        var secret = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow();
        var token = new ApiToken
        {
            TeamId = team.Id, Name = name.Trim(), Role = role, MayRecordEvidence = mayRecordEvidence, SecretHash = Hash(secret), Prefix = secret[..12],
            CreatedByUserId = caller.Actor.UserId ?? Guid.Empty, CreatedByName = caller.Actor.Name,
            CreatedAt = now, ExpiresAt = now.AddDays(lifetimeDays),
        };
        db.ApiTokens.Add(token);
        db.Record(caller.Actor, now, "token.created", "api-token", token.Id.ToString(), team.Id,
            after: new { token.Name, token.Role, token.MayRecordEvidence, token.Prefix, token.ExpiresAt });
        await db.SaveChangesAsync(ct);
        return new IssuedApiToken(new ApiTokenView(token.Id, token.Name, role, mayRecordEvidence, token.Prefix, token.CreatedByName, now, token.ExpiresAt, null), secret);
    }

    public async Task<Result> RevokeAsync(CallerAccess caller, string slug, Guid tokenId, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ManageApiTokens, slug) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.Team!.Slug == slug, ct);
        if (token is null)
            return TeamErrors.TokenNotFound;
        if (token.RevokedAt is not null)
            return Result.Ok();
        var now = clock.GetUtcNow();
        token.RevokedAt = now;
        db.Record(caller.Actor, now, "token.revoked", "api-token", token.Id.ToString(), token.TeamId,
            before: new { token.Name, token.Role, token.Prefix }, after: new { RevokedAt = now });
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>Checks a presented bearer token; the reason for a refusal is told apart for the caller's sake.</summary>
    public async Task<Result<ApiTokenPrincipal>> AuthenticateAsync(string presented, CancellationToken ct = default)
    {
        if (!presented.StartsWith(TokenPrefix, StringComparison.Ordinal) || presented.Length > 200)
            return new Error("token.invalid", "The bearer token is not a portal API token.", ErrorKind.Unauthorized);
        var hash = Hash(presented);
        TokenCheck? check;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            check = await TokenByHash.For(db)(db, hash, ct);
        if (check is null)
            return new Error("token.invalid", "The bearer token is not known.", ErrorKind.Unauthorized);
        var token = check.Token;
        var creator = AccessService.Of(check.IssuerRoles, Actor.ForUser(token.CreatedByUserId, token.CreatedByName));
        if (Refusal(token, check.Team.Slug, creator, clock.GetUtcNow()) is { } refused)
            return refused;
        return Principal(token, check.Team);
    }

    /// <summary>
    /// What a token may read now, judged as its next request would be (null when that request would be refused): for work a job does
    /// later on a token's behalf, such as drawing the dossier it asked for.
    /// </summary>
    internal static async Task<CallerAccess?> AccessNowAsync(PortalDbContext db, Guid tokenId, DateTimeOffset now, CancellationToken ct)
    {
        var token = await db.ApiTokens.AsNoTracking().Include(t => t.Team).SingleOrDefaultAsync(t => t.Id == tokenId, ct);
        if (token is null)
            return null;
        var creator = await AccessService.ForUserAsync(db, token.CreatedByUserId, Actor.ForUser(token.CreatedByUserId, token.CreatedByName), ct);
        if (Refusal(token, token.Team!.Slug, creator, now) is not null)
            return null;
        var principal = Principal(token, token.Team);
        return AccessService.ForToken(principal, principal.Actor);
    }

    /// <summary>Why a request with the token is refused now, or null. A token carries the authority of the TeamAdmin who issued it: when that
    /// person is disabled or no longer administers the team, the token stops with them (ADR-008), on the very next request.</summary>
    private static Error? Refusal(ApiToken token, string slug, CallerAccess? creator, DateTimeOffset now)
    {
        if (token.RevokedAt is not null)
            return new Error("token.revoked", "The bearer token has been revoked.", ErrorKind.Unauthorized);
        if (token.ExpiresAt <= now)
            return new Error("token.expired", "The bearer token has expired.", ErrorKind.Unauthorized);
        if (!Backs(creator, slug, token.Role))
            return new Error("token.issuer-revoked",
                "The person who issued this token is disabled, no longer administers its team or no longer holds the token's role; ask a TeamAdmin for a new token.",
                ErrorKind.Unauthorized);
        return null;
    }

    private static ApiTokenPrincipal Principal(ApiToken token, Team team) =>
        new(token.Id, token.Name, token.TeamId, team.Slug, team.Name, token.Role, token.MayRecordEvidence, token.CreatedByUserId);

    /// <summary>
    /// The most a token of the team may carry: its issuer's own role there. A PlatformAdmin manages any team's tokens but holds no
    /// team role unless granted one (ADR-003), so what they issue reads and no more.
    /// </summary>
    public static TeamRole MostFor(CallerAccess issuer, string slug) => issuer.RoleIn(slug) ?? TeamRole.Viewer;

    /// <summary>Whether the issuer, as they stand now, still backs a token of this team and role (ADR-008): one rule for each request and the list.</summary>
    private static bool Backs(CallerAccess? issuer, string slug, TeamRole role) =>
        issuer is not null && issuer.Allows(PortalAction.ManageApiTokens, slug) && role <= MostFor(issuer, slug);

    /// <summary>A presented token's row, its team, and its issuer's roles as they stand now (<c>IssuerDisabled</c> null: no such person).</summary>
    private sealed record TokenCheck(ApiToken Token, Team Team, bool? IssuerDisabled, List<AccessService.Membership> Memberships, List<GlobalRole> Globals)
    {
        public AccessService.UserRoles? IssuerRoles => IssuerDisabled is { } disabled ? new(disabled, Memberships, Globals) : null;
    }

    // Every API call with a token reads it and its issuer's roles: compiled once (no per-call expression work), and in one query, so
    // that the issuer's roles are read on every call (ADR-008) without a round trip of their own. The issuer's memberships and global
    // roles are a handful of rows, as in AccessService's own read.
    private static readonly PerModel<Func<PortalDbContext, string, CancellationToken, Task<TokenCheck?>>> TokenByHash = new(() => EF.CompileAsyncQuery(
        (PortalDbContext db, string hash, CancellationToken ct) => db.ApiTokens.AsNoTracking().AsSingleQuery().Where(t => t.SecretHash == hash)
            .Select(t => new TokenCheck(t, t.Team!,
                db.Users.Where(u => u.Id == t.CreatedByUserId).Select(u => (bool?)u.IsDisabled).FirstOrDefault(),
                db.TeamMemberships.Where(m => m.UserId == t.CreatedByUserId)
                    .Select(m => new AccessService.Membership(m.TeamId, m.Team!.Slug, m.Team.Name, m.Role)).ToList(),
                db.GlobalRoleAssignments.Where(g => g.UserId == t.CreatedByUserId).Select(g => g.Role).ToList()))
            .SingleOrDefault()));

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
