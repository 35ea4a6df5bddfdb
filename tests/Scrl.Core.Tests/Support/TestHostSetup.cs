using System.Runtime.CompilerServices;
using Scrl.Core.Runtime;

namespace Scrl.Core.Tests.Support;

internal static class TestHostSetup
{
    /// <summary>Tests run with the allocator settings the training hosts use.</summary>
    [ModuleInitializer]
    internal static void Initialize() => AllocatorTuning.UseMmapForLargeAllocations();
}
