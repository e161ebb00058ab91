using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;
using Portal.Testing;
using Portal.Web.Hosting;

namespace Portal.IntegrationTests.Hosting;

/// <summary>A portal on a real port whose connections report the block size of the memory pool Kestrel gave them.</summary>
public sealed class PoolReportingPortal() : PortalApp(DatabaseProvider.Sqlite, realPort: true)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, PoolReport>());
    }

    private sealed class PoolReport : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/test/pool-block-size", branch => branch.Run(context =>
                context.Response.WriteAsync(context.Features.Get<IMemoryPoolFeature>()?.MemoryPool.MaxBufferSize.ToString() ?? "none")));
            next(app);
        };
    }
}

public sealed class KestrelMemoryPoolTests(PoolReportingPortal app) : IClassFixture<PoolReportingPortal>
{
    [Fact]
    public async Task Kestrel_receives_and_sends_through_64_KiB_blocks()
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.RootUrl) };

        var blockSize = await client.GetStringAsync("/test/pool-block-size");

        Assert.Equal((64 * 1024).ToString(), blockSize);
    }

    [Fact]
    public void The_portals_own_host_registers_its_pool_after_Kestrels()
    {
        // As Program.cs builds it: Kestrel registers its factory when the builder is made; the last registration is the one resolved.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = Path.Combine(PortalApp.RepositoryRoot(), "src", "Portal.Web") });
        builder.Configuration["Artifacts:Root"] = app.ArtifactRoot;

        builder.AddPortal();

        var factories = builder.Services.Where(d => d.ServiceType == typeof(IMemoryPoolFactory<byte>)).ToList();
        Assert.True(factories.Count > 1, "Kestrel registers a factory of its own before the portal's.");
        Assert.Equal(typeof(LargeBlockMemoryPoolFactory), factories[^1].ImplementationType);
    }

    [Fact]
    public void A_block_holds_64_KiB_and_larger_requests_are_refused()
    {
        using var pool = new LargeBlockMemoryPool();

        using var block = pool.Rent(4096);

        Assert.Equal(64 * 1024, block.Memory.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(64 * 1024 + 1));
    }

    [Fact]
    public void A_returned_block_is_rented_again()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        first.Dispose();

        using var second = pool.Rent();

        Assert.Same(first, second);
    }

    [Fact]
    public void A_block_disposed_twice_goes_to_one_renter_only()
    {
        using var pool = new LargeBlockMemoryPool();
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        using var first = pool.Rent();
        using var second = pool.Rent();

        Assert.NotSame(first, second);
        second.Memory.Span.Clear();
        first.Memory.Span.Fill(1);
        Assert.DoesNotContain((byte)1, second.Memory.Span.ToArray());
    }

    [Fact]
    public void A_disposed_pool_refuses_to_rent()
    {
        var pool = new LargeBlockMemoryPool();
        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }
}
