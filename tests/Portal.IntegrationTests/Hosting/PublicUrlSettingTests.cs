using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Portal.Web.Hosting;

namespace Portal.IntegrationTests.Hosting;

/// <summary>Where the public URL comes from: the setting when given, else in Development the address the portal listens on.</summary>
public sealed class PublicUrlSettingTests
{
    private static string PublicUrl(string environment, params (string Key, string Value)[] settings)
    {
        (string, string)[] required = environment == Environments.Development
            ? [("Sso:Mode", "Embedded")]
            : [("Sso:Mode", "External"), ("Sso:Authority", "https://idp.test/"), ("Sso:ClientId", "portal"), ("Sso:ClientSecret", "secret")];
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection([.. required.Append(("Database:ConnectionString", "Data Source=unused.db")).Concat(settings)
                .Select(s => KeyValuePair.Create(s.Item1, (string?)s.Item2))])
            .Build();
        return PortalSettings.Load(config, new HostingEnvironment { EnvironmentName = environment }).Portal.PublicUrl;
    }

    [Theory]
    [InlineData("http://localhost:5099", "http://localhost:5099")]
    [InlineData("http://127.0.0.1:6001/", "http://127.0.0.1:6001")]
    [InlineData("http://0.0.0.0:7000", "http://localhost:7000")]
    [InlineData("http://*:7001;https://*:7002", "http://localhost:7001")]
    [InlineData("http://+:7003", "http://localhost:7003")]
    [InlineData("http://[::]:7004", "http://localhost:7004")]
    [InlineData("https://localhost:7443", "https://localhost:7443")]
    public void In_development_an_unset_public_url_is_the_listen_address(string urls, string expected) =>
        Assert.Equal(expected, PublicUrl(Environments.Development, ("urls", urls)));

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("")]
    [InlineData("not a url")]
    public void Without_a_fixed_listen_address_the_default_stays(string urls) =>
        Assert.Equal("http://localhost:5080", PublicUrl(Environments.Development, ("urls", urls)));

    [Fact]
    public void A_public_url_set_by_hand_wins_over_the_listen_address() =>
        Assert.Equal("https://portal.test", PublicUrl(Environments.Development, ("urls", "http://localhost:5099"), ("Portal:PublicUrl", "https://portal.test")));

    [Fact]
    public void Outside_development_the_listen_address_is_never_taken_for_the_public_url() =>
        Assert.Equal("http://localhost:5080", PublicUrl(Environments.Production, ("urls", "http://0.0.0.0:8080")));
}
