using System.Diagnostics;
using Scrl.Core.Runtime;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Runtime;

/// <summary>Resident memory, the allocator policy and its environment variable are process-wide, so these run alone.</summary>
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

    [Theory]
    [InlineData(null, CpuMemoryPolicy.Reuse)]
    [InlineData("hugepages", CpuMemoryPolicy.HugePages)]
    [InlineData("reuse", CpuMemoryPolicy.Reuse)]
    [InlineData("trim", CpuMemoryPolicy.Trim)]
    [InlineData("glibc", CpuMemoryPolicy.Glibc)]
    [InlineData("mmap", CpuMemoryPolicy.Mmap)]
    public void PolicyFromEnvironment_ReadsScrlCpuAllocator_DefaultingToReuse(string? value, CpuMemoryPolicy expected) =>
        WithPolicyVariable(value, () => Assert.Equal(expected, AllocatorTuning.PolicyFromEnvironment()));

    [Fact]
    public void PolicyFromEnvironment_NamesTheChoicesForAnUnknownPolicy() =>
        WithPolicyVariable("jemalloc", () =>
        {
            var error = Assert.Throws<ArgumentException>(() => AllocatorTuning.PolicyFromEnvironment());
            Assert.Equal("SCRL_CPU_ALLOCATOR must be hugepages, reuse, trim, glibc or mmap, was 'jemalloc'.", error.Message);
        });

    [Fact]
    public void DefaultPolicy_DoesNotTrimAfterAStep()
    {
        Assert.Equal(AllocatorTuning.PolicyFromEnvironment(), AllocatorTuning.Policy);
        Assert.Equal(AllocatorTuning.Policy is CpuMemoryPolicy.Trim or CpuMemoryPolicy.Mmap && OperatingSystem.IsLinux(),
                     AllocatorTuning.ReleaseFreeMemoryAfterStep());
    }

    private static void WithPolicyVariable(string? value, Action test)
    {
        string? before = Environment.GetEnvironmentVariable(AllocatorTuning.PolicyVariable);
        Environment.SetEnvironmentVariable(AllocatorTuning.PolicyVariable, value);
        try
        {
            test();
        }
        finally
        {
            Environment.SetEnvironmentVariable(AllocatorTuning.PolicyVariable, before);
        }
    }

    private static long ResidentBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
