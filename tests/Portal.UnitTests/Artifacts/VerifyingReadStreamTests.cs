using System.Security.Cryptography;
using Portal.Core.Artifacts;

namespace Portal.UnitTests.Artifacts;

public sealed class VerifyingReadStreamTests
{
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(10_000);
    private static readonly string Digest = Convert.ToHexStringLower(SHA256.HashData(Content));

    private readonly List<bool> _verdicts = [];

    private VerifyingReadStream Open(byte[] stored) => new(new MemoryStream(stored), Digest, Content.Length, ok =>
    {
        _verdicts.Add(ok);
        return Task.CompletedTask;
    });

    /// <summary>Reads in small pieces, as the server's copy loop does, counting what was handed out before any failure.</summary>
    private static async Task<(long HandedOut, Exception? Failure)> DrainAsync(Stream stream)
    {
        var buffer = new byte[1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
                total += read;
            return (total, null);
        }
        catch (BlobIntegrityException ex)
        {
            return (total, ex);
        }
    }

    [Fact]
    public async Task Whole_read_of_matching_content_is_reported_verified()
    {
        var (handedOut, failure) = await DrainAsync(Open(Content));

        Assert.Null(failure);
        Assert.Equal(Content.Length, handedOut);
        Assert.Equal([true], _verdicts);
    }

    [Fact]
    public async Task Flipped_byte_fails_before_the_last_bytes_are_handed_out()
    {
        var stored = Content.ToArray();
        stored[5000] ^= 1;

        var (handedOut, failure) = await DrainAsync(Open(stored));

        Assert.NotNull(failure);
        Assert.True(handedOut < Content.Length);
        Assert.Equal([false], _verdicts);
    }

    [Fact]
    public async Task Short_file_fails_even_when_read_from_the_middle()
    {
        var stream = Open(Content[..4000]);
        stream.Seek(2000, SeekOrigin.Begin);

        var (_, failure) = await DrainAsync(stream);

        Assert.NotNull(failure);
        Assert.Equal([false], _verdicts);
    }

    [Fact]
    public async Task Range_from_the_middle_is_passed_through_unverified()
    {
        var stored = Content.ToArray();
        stored[9000] ^= 1;
        var stream = Open(stored);
        stream.Seek(8000, SeekOrigin.Begin);

        var (handedOut, failure) = await DrainAsync(stream);

        Assert.Null(failure);
        Assert.Equal(2000, handedOut);
        Assert.Empty(_verdicts);
    }
}
