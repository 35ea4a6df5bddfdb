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
        if (!_seconds.TryGetValue(phase, out var list)) _seconds[phase] = list = [];
        list.Add(_clock.Elapsed.TotalSeconds);
        _clock.Restart();
    }

    public IReadOnlyDictionary<string, List<double>> Seconds => _seconds;

    private void Synchronize()
    {
        if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
    }
}
