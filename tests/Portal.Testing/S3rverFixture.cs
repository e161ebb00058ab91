using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Portal.Infrastructure.Data;
using Xunit;

namespace Portal.Testing;

/// <summary>
/// A real S3-compatible server (the npm package s3rver, installed by infra/install-prerequisites.sh)
/// on a loopback port, and the portal configured to keep its artifacts and its audit checkpoints there.
/// </summary>
public sealed class S3Portal : IAsyncLifetime
{
    public const string Bucket = "portal-artifacts";
    /// <summary>Where the portal writes its signed audit checkpoints in the bucket.</summary>
    public const string CheckpointPrefix = "audit/checkpoints/";
    private Process? _server;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "portal-tests", "s3-" + Guid.NewGuid().ToString("N"));
    private readonly bool _realPort;

    public S3Portal() : this(realPort: false)
    {
    }

    private S3Portal(bool realPort) => _realPort = realPort;

    /// <summary>The portal on a Kestrel port of its own, for clients in other processes (curl in the benchmarks).</summary>
    public static S3Portal OnRealPort() => new(realPort: true);

    public PortalApp App { get; private set; } = default!;
    public string ServiceUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var binary = Environment.GetEnvironmentVariable("PORTAL_S3RVER")
            ?? Path.Combine(PortalApp.RepositoryRoot(), "artifacts", "tools", "s3rver", "node_modules", ".bin", "s3rver");
        if (!File.Exists(binary))
            throw new InvalidOperationException($"s3rver is not installed at {binary}: run infra/install-prerequisites.sh.");
        Directory.CreateDirectory(_data);
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _server = Process.Start(new ProcessStartInfo(binary, ["-d", _data, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--configure-bucket", Bucket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        ServiceUrl = $"http://127.0.0.1:{port}";
        await WaitForPortAsync(port);
        App = new PortalApp(DatabaseProvider.Sqlite, _realPort, new Dictionary<string, string>
        {
            ["Artifacts:Store"] = "S3",
            ["Artifacts:S3:ServiceUrl"] = ServiceUrl,
            ["Artifacts:S3:Bucket"] = Bucket,
            ["Artifacts:S3:Prefix"] = "blobs/",
            ["Artifacts:S3:AccessKey"] = "S3RVER",
            ["Artifacts:S3:SecretKey"] = "S3RVER",
            ["Audit:CheckpointStore"] = "S3",
            ["Audit:CheckpointS3Prefix"] = CheckpointPrefix,
        });
        await App.InitializeAsync();
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_server!.HasExited)
                throw new InvalidOperationException("s3rver exited: " + await _server.StandardError.ReadToEndAsync());
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("s3rver did not start listening within 30 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
            await App.DisposeAsync();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }
}
