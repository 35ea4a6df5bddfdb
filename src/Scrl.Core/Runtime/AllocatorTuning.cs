using System.Runtime.InteropServices;

namespace Scrl.Core.Runtime;

/// <summary>What glibc's malloc does with the gigabytes of activations a CPU training step frees.</summary>
public enum CpuMemoryPolicy
{
    /// <summary>Freed tensors stay in glibc's heap for the next step: large tensors are not given their own mappings
    /// (M_MMAP_MAX 0), one arena serves every thread (M_ARENA_MAX 1: a step's memory is not held once per thread
    /// that allocated it) and nothing is trimmed, so after the first steps no step faults its memory in again; the
    /// heap then holds the gaps between live tensors too. The default.</summary>
    Reuse,

    /// <summary>glibc's allocator, untrimmed, on transparent huge pages (<c>glibc.malloc.hugetlb=1</c>): a step that
    /// faults its activations in takes one fault per 2 MiB instead of one per 4 KiB page. The tunable
    /// reaches glibc only through the environment at process start, so it holds in the supervised child that runs
    /// every long command; a process started otherwise gets <see cref="Glibc"/>.</summary>
    HugePages,

    /// <summary><c>malloc_trim(0)</c> after every step: the least memory resident between steps, but each step faults
    /// its activations in again, which costs 1.6-3× the step time on VMs where a page fault is expensive.</summary>
    Trim,

    /// <summary>glibc's defaults: tensors over its dynamic mmap threshold (up to 32 MiB) get their own mappings.</summary>
    Glibc,

    /// <summary>Every tensor of 1 MiB or more on its own mapping, returned on free: the least memory, the most faults.</summary>
    Mmap,
}

/// <summary>
/// The process-wide CPU allocator policy (<see cref="CpuMemoryPolicy"/>), chosen by <c>SCRL_CPU_ALLOCATOR</c>
/// (reuse, hugepages, trim, glibc or mmap; default reuse) and applied once, before the first training step.
/// </summary>
/// <remarks>
/// libtorch's CPU tensors come from glibc malloc. Measured on the SCRL step, R50 224 px batch 16, on a 2-core AMD EPYC
/// VM (README, "Speed and memory"): trim 26.8 s a step at 3.97 GB peak, reuse 7.9-9.7 s at 5.1-5.6 GB, hugepages
/// 7.8 s at 4.24 GB (PyTorch 1.13: 12.2-14.0 s, 4.4-4.6 GB). Page faults were a fifth of the trimmed R18 step's CPU time.
/// </remarks>
public static class AllocatorTuning
{
    /// <summary>Environment variable naming the policy.</summary>
    public const string PolicyVariable = "SCRL_CPU_ALLOCATOR";

    private const int MmapThresholdParameter = -3;   // M_MMAP_THRESHOLD in glibc's malloc.h
    private const int MmapMaxParameter = -4;         // M_MMAP_MAX
    private const int ArenaMaxParameter = -8;        // M_ARENA_MAX
    private const int MmapThresholdBytes = 1 << 20;
    private static readonly Lazy<CpuMemoryPolicy> Applied = new(() => Apply(PolicyFromEnvironment()));

    /// <summary>
    /// The glibc tunables (<c>GLIBC_TUNABLES</c>) that give a process started by this one <paramref name="policy"/>
    /// from its first allocation, or null when the policy needs none. glibc reads them before any thread exists; huge
    /// pages have no <c>mallopt</c> at all, and <c>mallopt</c> (which the child applies as well) cannot take back
    /// arenas already handed out.
    /// </summary>
    public static string? TunablesFor(CpuMemoryPolicy policy) => policy switch
    {
        CpuMemoryPolicy.HugePages => "glibc.malloc.hugetlb=1",
        CpuMemoryPolicy.Reuse => "glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1",
        _ => null,
    };

    /// <summary>The policy in force, applying the environment's (or the default) on first use.</summary>
    public static CpuMemoryPolicy Policy => Applied.Value;

    /// <summary>Applies the environment's policy now, if not yet done; hosts call it at start-up so that everything
    /// they allocate follows it.</summary>
    public static CpuMemoryPolicy EnsureApplied() => Applied.Value;

    /// <summary>The policy <see cref="PolicyVariable"/> names; <see cref="CpuMemoryPolicy.Reuse"/> when unset.</summary>
    /// <exception cref="ArgumentException">The variable names no policy.</exception>
    public static CpuMemoryPolicy PolicyFromEnvironment() => Environment.GetEnvironmentVariable(PolicyVariable) switch
    {
        null or "" or "reuse" => CpuMemoryPolicy.Reuse,
        "hugepages" => CpuMemoryPolicy.HugePages,
        "trim" => CpuMemoryPolicy.Trim,
        "glibc" => CpuMemoryPolicy.Glibc,
        "mmap" => CpuMemoryPolicy.Mmap,
        var other => throw new ArgumentException($"{PolicyVariable} must be hugepages, reuse, trim, glibc or mmap, was '{other}'."),
    };

    /// <summary>What the trainers call after every step: <see cref="ReleaseFreeMemory"/> where the policy trims.</summary>
    /// <returns>Whether memory was released.</returns>
    public static bool ReleaseFreeMemoryAfterStep() =>
        (Policy is CpuMemoryPolicy.Trim or CpuMemoryPolicy.Mmap) && ReleaseFreeMemory();

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
            return false;                             // musl and other libcs have no malloc_trim
        }
    }

    private static CpuMemoryPolicy Apply(CpuMemoryPolicy policy)
    {
        if (!OperatingSystem.IsLinux()) return policy;
        try
        {
            switch (policy)
            {
                case CpuMemoryPolicy.Reuse:
                    mallopt(MmapMaxParameter, 0);
                    mallopt(ArenaMaxParameter, 1);
                    break;
                case CpuMemoryPolicy.Mmap:
                    mallopt(MmapThresholdParameter, MmapThresholdBytes);
                    break;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // musl and other libcs have no mallopt: their own defaults apply
        }
        return policy;
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
