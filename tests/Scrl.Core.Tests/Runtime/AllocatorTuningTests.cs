using System.Diagnostics;
using Scrl.Core.Runtime;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Runtime;

/// <summary>Resident memory and an AppContext switch are process-wide, so these run alone.</summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class AllocatorTuningTests
{
    [Fact]
    public void ReleaseFreeMemory_ReturnsFreedHeapPagesToTheOs()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(AllocatorTuning.ReleaseFreeMemory());
            return;
        }
        // 2000 tensors of 100 kB stay below glibc's mmap threshold, so they come from a malloc arena. Freeing every
        // other one leaves about 100 MB of free chunks between live ones, which glibc keeps resident on its own.
        var tensors = Enumerable.Range(0, 2000).Select(_ => ones(25_000)).ToArray();
        for (int i = 1; i < tensors.Length; i += 2) tensors[i].Dispose();
        long before = ResidentBytes();

        Assert.True(AllocatorTuning.ReleaseFreeMemory());
        long released = before - ResidentBytes();

        foreach (var t in tensors) t.Dispose();
        Assert.True(released > 60_000_000, $"released {released / 1e6:F1} MB of about 100 MB freed");
    }

    [Fact]
    public void ReleaseAfterStepSwitch_TurnedOff_SkipsTheRelease()
    {
        AppContext.SetSwitch(AllocatorTuning.ReleaseAfterStepSwitch, false);
        bool releasedWhenOff = AllocatorTuning.ReleaseFreeMemoryAfterStep();
        AppContext.SetSwitch(AllocatorTuning.ReleaseAfterStepSwitch, true);

        Assert.False(releasedWhenOff);
        Assert.Equal(OperatingSystem.IsLinux(), AllocatorTuning.ReleaseFreeMemoryAfterStep());
    }

    private static long ResidentBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
