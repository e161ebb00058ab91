using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Audit.Checkpoints;
using Portal.Core.Audit.Verification;
using Portal.Core.Data;
using Portal.Infrastructure.Data;

namespace Portal.AuditVerifier;

/// <summary>
/// Verifies the portal's audit chain outside the portal: from the database or a JSON export, against
/// the signed checkpoints in a directory. Exit codes: 0 intact, 1 tampering found, 2 bad input.
/// Every expected problem is one line of text, never a stack trace.
/// </summary>
public static class VerifierCommand
{
    public const int Intact = 0;
    public const int Tampered = 1;
    public const int BadInput = 2;

    private const string Usage = """
        Usage: portal-audit-verify --checkpoints DIR (--export FILE | --provider Sqlite|PostgreSql|SqlServer --connection STRING) [--public-key FILE]
          --checkpoints DIR   the directory of signed checkpoint-*.json files (Audit:CheckpointDirectory)
          --export FILE       an audit export (GET /api/v1/audit/export) instead of the database
          --public-key FILE   PEM public key the checkpoints must be signed with (recommended)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var options = ParseArguments(args, out var problem);
        if (options is null)
        {
            await error.WriteLineAsync(problem);
            await error.WriteLineAsync(Usage);
            return BadInput;
        }
        try
        {
            return await VerifyAsync(options, output, error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbUpdateException or InvalidOperationException
            or System.Data.Common.DbException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            await error.WriteLineAsync($"Cannot verify: {e.GetBaseException().Message}");
            return BadInput;
        }
    }

    private static async Task<int> VerifyAsync(Dictionary<string, string> options, TextWriter output, TextWriter error)
    {
        var checkpointDirectory = options["--checkpoints"];
        if (!Directory.Exists(checkpointDirectory))
        {
            await error.WriteLineAsync($"--checkpoints: the directory {checkpointDirectory} does not exist.");
            return BadInput;
        }
        var archive = await CheckpointArchive.LoadAsync(new DirectoryCheckpointStore(checkpointDirectory), CancellationToken.None);
        if (archive.Errors.Count > 0)
        {
            foreach (var message in archive.Errors)
                await error.WriteLineAsync(message);
            return BadInput;
        }
        byte[]? trustedKey = null;
        if (options.TryGetValue("--public-key", out var keyFile))
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            try
            {
                key.ImportFromPem(await File.ReadAllTextAsync(keyFile));
            }
            catch (ArgumentException)
            {
                await error.WriteLineAsync($"--public-key: {keyFile} does not hold a PEM public key.");
                return BadInput;
            }
            trustedKey = key.ExportSubjectPublicKeyInfo();
        }

        var verifier = new AuditChainVerifier();
        if (options.TryGetValue("--export", out var exportFile))
        {
            if (!File.Exists(exportFile))
            {
                await error.WriteLineAsync($"--export: the file {exportFile} does not exist.");
                return BadInput;
            }
            await using var stream = File.OpenRead(exportFile);
            var (events, readError) = AuditExport.Read(stream, Path.GetFileName(exportFile));
            if (readError is not null)
            {
                await error.WriteLineAsync(readError);
                return BadInput;
            }
            foreach (var e in events!)
            {
                if (!verifier.Add(e))
                    break;
            }
        }
        else
        {
            if (!Enum.TryParse<DatabaseProvider>(options["--provider"], ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
            {
                await error.WriteLineAsync($"--provider '{options["--provider"]}' is not supported: use Sqlite, PostgreSql or SqlServer.");
                return BadInput;
            }
            await using var db = new PortalDbContext(PortalDatabase.Options(provider, options["--connection"]));
            await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable())
            {
                if (!verifier.Add(e))
                    break;
            }
        }
        var result = verifier.Finish(archive.Checkpoints, DateTimeOffset.UtcNow, trustedKey);
        await (result.IsValid ? output : error).WriteLineAsync(result.Message);
        return result.IsValid ? Intact : Tampered;
    }

    private static Dictionary<string, string>? ParseArguments(string[] args, out string problem)
    {
        var known = new HashSet<string> { "--checkpoints", "--export", "--provider", "--connection", "--public-key" };
        var options = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!known.Contains(args[i]))
            {
                problem = $"Unknown argument '{args[i]}'.";
                return null;
            }
            if (i + 1 >= args.Length)
            {
                problem = $"{args[i]} needs a value.";
                return null;
            }
            options[args[i]] = args[++i];
        }
        if (!options.ContainsKey("--checkpoints"))
            problem = "--checkpoints is required.";
        else if (options.ContainsKey("--export") == (options.ContainsKey("--provider") || options.ContainsKey("--connection")))
            problem = "Give either --export, or --provider with --connection.";
        else if (options.ContainsKey("--provider") != options.ContainsKey("--connection"))
            problem = "--provider and --connection go together.";
        else
        {
            problem = "";
            return options;
        }
        return null;
    }
}
