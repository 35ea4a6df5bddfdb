using System.Diagnostics;
using static TorchSharp.torch;

namespace Scrl.Core.Training;

/// <summary>
/// Splits a step's wall time into named phases for benchmarks. On CUDA it synchronizes at each mark so
/// asynchronous kernels are charged to the phase that launched them; training runs without one.
/// </summary>
public sealed class PhaseTimer(Device device)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, List<double>> _seconds = new(StringComparer.Ordinal);

    public void Restart()
    {
        Synchronize();
        _clock.Restart();
    }

    /// <summary>Charges the time since the previous mark to <paramref name="phase"/>.</summary>
    public void Mark(string phase)
    {
        Synchronize();
        Add(phase, _clock.Elapsed.TotalSeconds);
        _clock.Restart();
    }

    /// <summary>Records a duration measured elsewhere (e.g. a whole step).</summary>
    public void Add(string phase, double seconds)
    {
        if (!_seconds.TryGetValue(phase, out var list)) _seconds[phase] = list = [];
        list.Add(seconds);
    }

    /// <summary>Median seconds per phase, in the order phases were first seen.</summary>
    public IReadOnlyDictionary<string, double> Medians() => _seconds.ToDictionary(kv => kv.Key, kv => Median(kv.Value));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private void Synchronize()
    {
        if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
    }
}
