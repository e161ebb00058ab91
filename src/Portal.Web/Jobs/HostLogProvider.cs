using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Portal.Web.Jobs;

/// <summary>
/// Hangfire logs through one provider for the whole process, set by the last host to configure it, and asks it for a logger
/// whenever it builds a job factory. With two hosts in one process (the tests) a host starting after another one had stopped
/// was handed the stopped host's disposed logger factory and failed to start (ObjectDisposedException, once in CI). A host
/// whose factory is gone now gets a silent logger instead.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggers) : ILogProvider
{
    private readonly AspNetCoreLogProvider _logs = new(loggers);

    public ILog GetLogger(string name)
    {
        try
        {
            return _logs.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string> messageFunc, Exception? exception = null) => false;
    }
}
