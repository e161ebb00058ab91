using Portal.Benchmarks;

// Usage: dotnet run -c Release --project tests/Portal.Benchmarks -- transfer [MiB]
//        dotnet run -c Release --project tests/Portal.Benchmarks -- search [sqlite|postgresql] [assets] [versionsPerAsset]
return args.FirstOrDefault() switch
{
    "transfer" => await TransferBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1024),
    "search" => await SearchBenchmark.RunAsync(args.ElementAtOrDefault(1) ?? "sqlite",
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 100),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: transfer [MiB] | search [sqlite|postgresql] [assets] [versionsPerAsset]");
    return 2;
}
