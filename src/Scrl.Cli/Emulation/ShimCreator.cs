using DurableTask.Core;

namespace Scrl.Cli.Emulation;

/// <summary>Registers a task (orchestration or activity) with a <see cref="TaskHubWorker"/> under its SDK name, built
/// fresh for each execution, as Durable Functions does.</summary>
internal sealed class ShimCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> _create;

    public ShimCreator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;   // the SDK's task names carry no version
        _create = create;
    }

    public override T Create() => _create();
}
