using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Testing;

namespace Portal.IntegrationTests.Teams;

/// <summary>People are issuer + subject; an e-mail address shared by two accounts never picks one of them, nor fails.</summary>
public abstract class DuplicateEmailTests(PortalApp app)
{
    private Task<Result<SignedInUser>> SignInAsync(string subject, string email) =>
        app.InScopeAsync<SignInService, Result<SignedInUser>>(s => s.SignInAsync(new SignInIdentity("https://idp.test/", subject, subject, email, []), "127.0.0.1", "test"));

    [Fact]
    public async Task Two_subjects_with_the_same_email_both_sign_in_as_different_people()
    {
        var email = $"shared-{Guid.NewGuid():N}@example.com";

        var first = await SignInAsync("sub-" + Guid.NewGuid().ToString("N"), email);
        var second = await SignInAsync("sub-" + Guid.NewGuid().ToString("N"), email);
        var firstAgain = await SignInAsync(await SubjectOfAsync(first.Value.UserId), email);

        Assert.True(first.IsSuccess && second.IsSuccess && firstAgain.IsSuccess);
        Assert.NotEqual(first.Value.UserId, second.Value.UserId);
        Assert.Equal(first.Value.UserId, firstAgain.Value.UserId);
    }

    [Fact]
    public async Task Granting_by_an_email_two_accounts_share_is_refused_as_ambiguous_not_a_500()
    {
        var email = $"shared-{Guid.NewGuid():N}@example.com";
        await SignInAsync("sub-" + Guid.NewGuid().ToString("N"), email);
        await SignInAsync("sub-" + Guid.NewGuid().ToString("N"), email.ToUpperInvariant());
        var admin = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin);

        var response = await admin.PostAsJsonAsync("/api/v1/teams/marketing/members", new { email, role = "Viewer" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("user.ambiguous", problem.RootElement.GetProperty("code").GetString());
    }

    private async Task<string> SubjectOfAsync(Guid userId) =>
        (await app.InScopeAsync<MembershipService, Profile?>(s => s.GetProfileAsync(userId)))!.Subject;
}

public sealed class DuplicateEmailTests_Sqlite(SqlitePortal app) : DuplicateEmailTests(app), IClassFixture<SqlitePortal>;

public sealed class DuplicateEmailTests_PostgreSql(PostgresPortal app) : DuplicateEmailTests(app), IClassFixture<PostgresPortal>;
