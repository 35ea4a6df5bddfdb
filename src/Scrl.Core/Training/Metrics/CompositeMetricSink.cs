namespace Scrl.Core.Training.Metrics;

/// <summary>Forwards every record to several sinks, and owns them.</summary>
public sealed class CompositeMetricSink(IReadOnlyList<IMetricSink> sinks) : IMetricSink
{
    private readonly IReadOnlyList<IMetricSink> _sinks = sinks ?? throw new ArgumentNullException(nameof(sinks));

    public void Write(long step, IReadOnlyDictionary<string, double> scalars)
    {
        foreach (var sink in _sinks) sink.Write(step, scalars);
    }

    public void Flush()
    {
        foreach (var sink in _sinks) sink.Flush();
    }

    public void Dispose()
    {
        foreach (var sink in _sinks) sink.Dispose();
    }
}
