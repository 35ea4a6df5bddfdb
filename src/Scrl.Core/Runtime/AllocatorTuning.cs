using System.Runtime.InteropServices;

namespace Scrl.Core.Runtime;

/// <summary>
/// Process-wide CPU allocator settings: the CLI and the worker may call <see cref="UseMmapForLargeAllocations"/>
/// once at start-up; the trainer calls <see cref="ReleaseFreeMemoryAfterStep"/> after every step.
/// </summary>
/// <remarks>
/// libtorch's CPU tensors come from glibc malloc. A training step frees gigabytes of activations in an order no
/// allocator sees coming, and glibc's arenas keep the freed pages: with its defaults the R50 224 px, batch 16
/// SCRL step peaked at 5.1 to 5.8 GB from run to run (PyTorch 1.13: 4.9 GB). Two remedies, measured on that step:
/// <list type="bullet">
/// <item><c>malloc_trim(0)</c> after each step hands every free page back to the OS, so only what a step reuses
/// is resident again: 4.1 GB, stable from run to run, at glibc's speed. This is the default.</item>
/// <item>An mmap threshold of 1 MiB gives every large tensor its own mapping, returned on free: 3.8 GB, but each
/// fresh mapping pays its page faults again, which cost about half as much time again as the whole step.</item>
/// </list>
/// </remarks>
public static partial class AllocatorTuning
{
    private const int MmapThresholdParameter = -3;   // M_MMAP_THRESHOLD in glibc's malloc.h
    private const int MmapThresholdBytes = 1 << 20;

    /// <summary>Serves every allocation of 1 MiB or more with its own mmap: the least memory, but slower.
    /// Applies on glibc Linux; returns false where it does not apply (other OS or libc).</summary>
    public static bool UseMmapForLargeAllocations()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MmapThresholdParameter, MmapThresholdBytes) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;                             // musl and other libcs have no mallopt
        }
    }

    /// <summary>
    /// <see cref="AppContext"/> switch that a host sets to false to leave glibc's heaps alone between steps
    /// (faster by the trim's cost, but resident memory then depends on how the arenas fragmented).
    /// </summary>
    public const string ReleaseAfterStepSwitch = "Scrl.Core.Runtime.AllocatorTuning.ReleaseAfterStep";

    /// <summary>What the trainer calls after every step: <see cref="ReleaseFreeMemory"/> unless the host turned
    /// <see cref="ReleaseAfterStepSwitch"/> off.</summary>
    /// <returns>Whether memory was released.</returns>
    public static bool ReleaseFreeMemoryAfterStep() =>
        (!AppContext.TryGetSwitch(ReleaseAfterStepSwitch, out bool enabled) || enabled) && ReleaseFreeMemory();

    /// <summary>Returns the free pages of glibc's heaps to the OS (<c>malloc_trim(0)</c>); a no-op elsewhere.</summary>
    /// <returns>Whether it applied.</returns>
    public static bool ReleaseFreeMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            malloc_trim(0);
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
