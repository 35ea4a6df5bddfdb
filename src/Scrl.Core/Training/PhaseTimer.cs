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

    /// <summary>
    /// Times the code inside a <c>using</c> block as one entry of <paramref name="phase"/>, without moving the
    /// mark clock: for parts of a phase (NMS inside a forward pass) that are called several times.
    /// </summary>
    public Section Measure(string phase)
    {
        Synchronize();
        return new Section(this, phase, Stopwatch.GetTimestamp());
    }

    /// <summary>Seconds summed per phase, in the order phases were first seen.</summary>
    public IReadOnlyDictionary<string, double> Totals() => _seconds.ToDictionary(kv => kv.Key, kv => kv.Value.Sum());

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

    /// <summary>An open <see cref="Measure"/> block; disposing it records the elapsed time.</summary>
    public readonly struct Section : IDisposable
    {
        private readonly PhaseTimer _timer;
        private readonly string _phase;
        private readonly long _started;

        internal Section(PhaseTimer timer, string phase, long started) => (_timer, _phase, _started) = (timer, phase, started);

        public void Dispose()
        {
            _timer.Synchronize();
            _timer.Add(_phase, Stopwatch.GetElapsedTime(_started).TotalSeconds);
        }
    }
}
