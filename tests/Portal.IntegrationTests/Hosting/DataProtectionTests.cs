using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Hosting;

public sealed class CertificatePortal() : PortalApp(DatabaseProvider.Sqlite, settings: new Dictionary<string, string>
{
    ["DataProtection:CertificatePath"] = KeyCertificate.Path,
    ["DataProtection:CertificatePassword"] = KeyCertificate.Password,
});

/// <summary>A throwaway self-signed PFX, written once per test run.</summary>
internal static class KeyCertificate
{
    public const string Password = "test-only-password";
    public static readonly string Path = Create();

    private static string Create()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=portal-test-key-encryption", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"portal-key-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}

public sealed class DataProtectionTests(CertificatePortal app) : IClassFixture<CertificatePortal>
{
    [Fact]
    public async Task Configured_certificate_encrypts_the_keys_stored_in_the_database()
    {
        // The first antiforgery token makes the key ring create and store a key.
        using var client = app.CreateClient();
        (await client.GetAsync("/dev-idp/login")).EnsureSuccessStatusCode();

        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var keys = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedXml", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }
}
