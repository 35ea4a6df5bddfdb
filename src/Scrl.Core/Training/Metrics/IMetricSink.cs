namespace Scrl.Core.Training.Metrics;

/// <summary>Receives per-step scalars (loss, learning rate, throughput). Sinks own files, hence disposable.</summary>
public interface IMetricSink : IDisposable
{
    /// <summary>Records <paramref name="scalars"/> at training step <paramref name="step"/>.</summary>
    void Write(long step, IReadOnlyDictionary<string, double> scalars);

    /// <summary>Pushes buffered records to storage.</summary>
    void Flush();
}
