using System.Buffers.Binary;
using static Lattice.Storage.Tests.LogTestKit;

namespace Lattice.Storage.Tests;

public sealed class WriteAheadLogConcurrencyTests
{
    [Fact]
    public void Many_appenders_and_a_looping_flusher_write_every_record_exactly_once_in_order()
    {
        const int Appenders = 4;
        const int EntriesPerGroup = 20_000;
        using var dir = new TempDirectory();
        using (WriteAheadLog wal = Open(dir.Path, segmentSizeBytes: 256 * 1024))
        {
            int finished = 0;
            Exception? failure = null;
            long flushedRecords = 0;
            long lastSequence = 0;
            var flusher = new Thread(() =>
            {
                try
                {
                    int round = 0;
                    while (Volatile.Read(ref finished) < Appenders || wal.HasPendingWrites)
                    {
                        FlushResult result = wal.Flush(sync: round++ % 4 == 0);
                        Assert.True(result.LastSequence >= lastSequence);
                        lastSequence = result.LastSequence;
                        flushedRecords += result.RecordCount;
                    }
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            var appenders = new Thread[Appenders];
            for (int t = 0; t < Appenders; t++)
            {
                ulong groupId = (ulong)(t + 1);
                appenders[t] = new Thread(() =>
                {
                    try
                    {
                        var payload = new byte[16 + (int)groupId];
                        for (long i = 1; i <= EntriesPerGroup; i++)
                        {
                            BinaryPrimitives.WriteUInt64LittleEndian(payload, groupId);
                            BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(8), i);
                            wal.Append(groupId, i, 1, payload);
                        }
                    }
                    catch (Exception e)
                    {
                        failure = e;
                    }
                    finally
                    {
                        Interlocked.Increment(ref finished);
                    }
                });
            }

            flusher.Start();
            foreach (Thread appender in appenders)
            {
                appender.Start();
            }

            foreach (Thread appender in appenders)
            {
                appender.Join();
            }

            flusher.Join();
            Assert.Null(failure);
            flushedRecords += wal.Flush(sync: true).RecordCount;
            Assert.Equal(Appenders * EntriesPerGroup, flushedRecords);
            Assert.True(wal.Segments().Count > 1, "the test should cross segment boundaries");
            AssertGroups(wal, Appenders, EntriesPerGroup);
        }

        using WriteAheadLog reopened = Open(dir.Path);
        Assert.Equal(Appenders * EntriesPerGroup, reopened.Recovery.RecordCount);
        AssertGroups(reopened, Appenders, EntriesPerGroup);
    }

    [Fact]
    public void Replay_and_release_run_safely_while_appends_and_flushes_continue()
    {
        const long Entries = 30_000;
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path, segmentSizeBytes: 64 * 1024);
        Exception? failure = null;
        long flushedIndex = 0;
        var writer = new Thread(() =>
        {
            try
            {
                for (long i = 1; i <= Entries; i++)
                {
                    wal.Append(1, i, 1, LogTestKit.Payload(1, i, 1));
                    if (i % 100 == 0)
                    {
                        FlushResult result = wal.Flush(sync: i % 1000 == 0);
                        Assert.True(result.TryGetGroup(1, out GroupLogEnd end));
                        Volatile.Write(ref flushedIndex, end.LastIndex);
                    }
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        writer.Start();
        int replays = 0;
        while (writer.IsAlive)
        {
            // Release up to a point well behind what is written, then replay from there: the entries must be
            // contiguous, start right after the release point, and carry their own payloads.
            long released = Math.Max(0, Volatile.Read(ref flushedIndex) - 2000);
            wal.ReleaseUpTo(1, released);
            long expected = released + 1;
            wal.Replay(1, released, (index, term, payload) =>
            {
                Assert.Equal(expected++, index);
                Assert.Equal(LogTestKit.Payload(1, index, term), payload.ToArray());
            });
            replays++;
        }

        writer.Join();
        Assert.Null(failure);
        Assert.True(replays > 0);
        Assert.True(wal.Segments().Count < 20, "released segments were deleted along the way");
    }

    private static void AssertGroups(WriteAheadLog wal, int groups, long entriesPerGroup)
    {
        for (ulong groupId = 1; groupId <= (ulong)groups; groupId++)
        {
            long expected = 1;
            wal.Replay(groupId, 0, (index, term, payload) =>
            {
                Assert.Equal(expected, index);
                Assert.Equal(groupId, BinaryPrimitives.ReadUInt64LittleEndian(payload));
                Assert.Equal(index, BinaryPrimitives.ReadInt64LittleEndian(payload[8..]));
                Assert.Equal(16 + (int)groupId, payload.Length);
                expected++;
            });
            Assert.Equal(entriesPerGroup + 1, expected);
        }
    }
}
