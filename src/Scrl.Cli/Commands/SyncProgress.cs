namespace Scrl.Cli.Commands;

/// <summary>Reports on the caller's thread, in order; <see cref="Progress{T}"/> posts to the thread pool and may reorder.</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
