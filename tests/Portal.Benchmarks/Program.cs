using System.Globalization;
using Portal.Benchmarks;
using Portal.Infrastructure.Data;
using Portal.Testing;

// Usage: dotnet run -c Release --project tests/Portal.Benchmarks -- transfer [MiB] [parallelMiB]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- big-transfer [filesystem|s3] [MiB]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- search [sqlite|postgresql] [assets] [versionsPerAsset]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- lifecycle [sqlite|postgresql] [clients] [metricsPerVersion]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- approvals [sqlite|postgresql] [pendingRequests]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- audit-verify [events]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- dossier [sqlite|postgresql] [versions] [auditEvents]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- archive-dry-run [sqlite|postgresql] [versions]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- golden-check [sqlite|postgresql] [rows]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- lineage [sqlite|postgresql] [versions]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- one-asset [sqlite|postgresql] [versions]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- register [sqlite|postgresql] [clients] [requests]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- token-check [sqlite|postgresql]
PortalApp.RefuseNestedConnections = false;
return args.FirstOrDefault() switch
{
    "transfer" => await TransferBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 256),
    "big-transfer" => await BigTransferBenchmark.RunAsync(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4096,
        args.Length > 1 ? args[1] : "filesystem"),
    "search" => await SearchBenchmark.RunAsync(Provider(args),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100),
    "lifecycle" => await LifecycleBenchmark.RunAsync(Provider(args),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000),
    "approvals" => await ApprovalQueueBenchmark.RunAsync(Provider(args),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000),
    "audit-verify" => await AuditChainBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000),
    "dossier" => await DossierBenchmark.RunAsync(Provider(args),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5000),
    "archive-dry-run" => await ArchiveDryRunBenchmark.RunAsync(Provider(args),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000),
    "golden-check" => await GoldenCheckBenchmark.RunAsync(Provider(args),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000),
    "lineage" => await LineageBenchmark.RunAsync(Provider(args),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000),
    "one-asset" => await OneAssetBenchmark.RunAsync(Provider(args),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000),
    "register" => await RegisterBenchmark.RunAsync(Provider(args),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 400),
    "token-check" => await TokenCheckBenchmark.RunAsync(Provider(args)),
    // The benchmarks' clients: this program again, in processes of their own.
    RegisterClient.Mode => await RegisterClient.MainAsync(args),
    LifecycleClient.Mode => await LifecycleClient.MainAsync(args),
    _ => Usage(),
};

static DatabaseProvider Provider(string[] args) =>
    string.Equals(args.ElementAtOrDefault(1), "postgresql", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;

static int Usage()
{
    Console.Error.WriteLine("usage: transfer [MiB] [parallelMiB] | search [sqlite|postgresql] [assets] [versionsPerAsset] | lifecycle [sqlite|postgresql] [clients] [metricsPerVersion] | approvals [sqlite|postgresql] [pendingRequests] | audit-verify [events] | dossier [sqlite|postgresql] [versions] [auditEvents] | archive-dry-run [sqlite|postgresql] [versions] | golden-check [sqlite|postgresql] [rows] | lineage [sqlite|postgresql] [versions] | one-asset [sqlite|postgresql] [versions] | register [sqlite|postgresql] [clients] [requests] | token-check [sqlite|postgresql]");
    return 2;
}
