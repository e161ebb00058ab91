using System.Diagnostics;
using System.Security.Cryptography;

namespace Portal.Benchmarks;

/// <summary>What the transfer benchmarks share: test files with their digests, curl and floor processes, the server's peak working set.</summary>
internal static class TransferTools
{
    /// <summary>Runs a client process while sampling this process's (the server's) resident set; returns the seconds and the peak's growth in MiB.</summary>
    public static async Task<(double Seconds, double PeakGrowthMiB)> WithPeakAsync(Func<double> client)
    {
        var (seconds, growth, _) = await WithPeakAndAllocationsAsync(client);
        return (seconds, growth);
    }

    /// <summary>As <see cref="WithPeakAsync"/>, with the managed bytes this process allocated meanwhile, in MiB.</summary>
    public static async Task<(double Seconds, double PeakGrowthMiB, double AllocatedMiB)> WithPeakAndAllocationsAsync(Func<double> client)
    {
        ProcessMemory.Collect();
        var before = ProcessMemory.Now().RssMb;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var peak = ProcessMemory.Peak.WorkingSet();
        var seconds = await Task.Run(client);
        peak.Dispose();
        return (seconds, peak.MaxMb - before, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0);
    }

    public static async Task<string> WriteRandomFileAsync(string path, int mebibytes, int seed)
    {
        var block = new byte[1 << 20];
        new Random(seed).NextBytes(block);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = File.Create(path);
        for (var i = 0; i < mebibytes; i++)
        {
            block[0] = (byte)i;
            block[1] = (byte)(i >> 8);
            hash.AppendData(block);
            await file.WriteAsync(block);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static async Task<string> Sha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }

    /// <summary>Runs one shell command line; returns its wall-clock seconds.</summary>
    public static double Shell(string command) => ShellAll([command]);

    /// <summary>Starts every command line at once and waits for all; returns the wall-clock seconds until the last ends.</summary>
    public static double ShellAll(IEnumerable<string> commands)
    {
        var infos = commands.Select(c => new ProcessStartInfo("bash", ["-c", "set -o pipefail; " + c]) { UseShellExecute = false, RedirectStandardError = true }).ToList();
        var watch = Stopwatch.StartNew();
        var processes = infos.Select(i => Process.Start(i)!).ToList();
        foreach (var p in processes)
        {
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"{p.StartInfo.ArgumentList[1]} failed: {error}");
        }
        var seconds = watch.Elapsed.TotalSeconds;
        processes.ForEach(p => p.Dispose());
        return seconds;
    }
}
