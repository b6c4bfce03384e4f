using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Lattice.Engine;

/// <summary>
/// Hints that ask the CPU to start loading a cache line without waiting for it. A prefetch never faults and never
/// changes memory, so a stale address (an object the collector has since moved) costs one wasted load at worst.
/// On CPUs without the instruction the hints do nothing.
/// </summary>
internal static unsafe class MemoryPrefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Line<T>(ref T location)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref location));
        }
    }

    /// <summary>The object's first line: its header, and for an array its length and first bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Object(object? value)
    {
        if (Sse.IsSupported && value is not null)
        {
            Sse.Prefetch0((void*)Unsafe.As<object, nint>(ref value));
        }
    }
}
