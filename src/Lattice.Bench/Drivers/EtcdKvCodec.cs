using System.Runtime.InteropServices;
using Google.Protobuf;
using Lattice.Common;

namespace Lattice.Bench.Drivers;

/// <summary>
/// The few etcdserverpb messages the benchmark needs, written and read by hand with Google.Protobuf's coded
/// streams (no generated code). Field numbers are those of etcd's rpc.proto and kv.proto:
/// PutRequest{key=1,value=2}; RangeRequest{key=1,range_end=2,limit=3}; RangeResponse{header=1,kvs=2,more=3,count=4};
/// KeyValue{key=1,create_revision=2,mod_revision=3,version=4,value=5,lease=6};
/// Compare{result=1,target=2,key=3,mod_revision=6 (oneof target_union)}; RequestOp{request_put=2};
/// TxnRequest{compare=1,success=2,failure=3}; TxnResponse{header=1,succeeded=2,responses=3}.
/// Writers fill a whole gRPC frame (prefix and message) from offset 0 and return its length.
/// </summary>
public static class EtcdKvCodec
{
    private const int CompareTargetMod = 2;

    public static int PutSize(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value) => BytesFieldSize(key.Length) + BytesFieldSize(value.Length);

    public static int WritePut(byte[] frame, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value)
    {
        int size = PutSize(key, value);
        CodedOutputStream output = Output(frame, size);
        WritePutFields(output, key, value);
        return Finish(output, size);
    }

    public static int WriteRange(byte[] frame, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> rangeEnd, long limit)
    {
        int size = BytesFieldSize(key.Length)
            + (rangeEnd.IsEmpty ? 0 : BytesFieldSize(rangeEnd.Length))
            + (limit > 0 ? 1 + CodedOutputStream.ComputeInt64Size(limit) : 0);
        CodedOutputStream output = Output(frame, size);
        WriteBytesField(output, 1, key);
        if (!rangeEnd.IsEmpty)
        {
            WriteBytesField(output, 2, rangeEnd);
        }

        if (limit > 0)
        {
            output.WriteTag(3, WireFormat.WireType.Varint);
            output.WriteInt64(limit);
        }

        return Finish(output, size);
    }

    /// <summary>A Txn that puts <paramref name="value"/> only if the key's mod_revision still equals <paramref name="modRevision"/>.</summary>
    public static int WritePutIfModRevision(byte[] frame, ReadOnlyMemory<byte> key, long modRevision, ReadOnlyMemory<byte> value)
    {
        // result = EQUAL is proto3's default (0), so it is left out. The oneof mod_revision is written even when 0:
        // an unset oneof would not compare against "absent".
        int compareSize = 1 + CodedOutputStream.ComputeEnumSize(CompareTargetMod) + BytesFieldSize(key.Length)
            + 1 + CodedOutputStream.ComputeInt64Size(modRevision);
        int putSize = PutSize(key, value);
        int requestOpSize = 1 + CodedOutputStream.ComputeLengthSize(putSize) + putSize;
        int size = 1 + CodedOutputStream.ComputeLengthSize(compareSize) + compareSize
            + 1 + CodedOutputStream.ComputeLengthSize(requestOpSize) + requestOpSize;
        CodedOutputStream output = Output(frame, size);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteLength(compareSize);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteEnum(CompareTargetMod);
        WriteBytesField(output, 3, key);
        output.WriteTag(6, WireFormat.WireType.Varint);
        output.WriteInt64(modRevision);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteLength(requestOpSize);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteLength(putSize);
        WritePutFields(output, key, value);
        return Finish(output, size);
    }

    /// <summary>Frame bytes a message of <paramref name="messageSize"/> needs; callers size their buffer with it.</summary>
    public static int FrameSize(int messageSize) => EtcdGrpcChannel.FramePrefixBytes + messageSize;

    public static EtcdRangeResult ReadRangeResponse(ReadOnlyMemory<byte> message, bool captureFirstValue)
    {
        ArraySegment<byte> segment = Segment(message);
        var input = new CodedInputStream(segment.Array!, segment.Offset, segment.Count);
        long basePosition = input.Position;
        int keyValues = 0;
        long count = 0;
        long firstModRevision = 0;
        byte[]? firstValue = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 2:
                    // No public limits on CodedInputStream: skip the field, then read it with a second stream over its bytes.
                    int fieldStart = (int)(input.Position - basePosition);
                    input.SkipLastField();
                    int fieldEnd = (int)(input.Position - basePosition);
                    var keyValue = new CodedInputStream(segment.Array!, segment.Offset + fieldStart, fieldEnd - fieldStart);
                    keyValue.ReadLength();
                    (long modRevision, byte[]? value) = ReadKeyValue(keyValue, captureFirstValue && keyValues == 0);
                    if (keyValues == 0)
                    {
                        firstModRevision = modRevision;
                        firstValue = value;
                    }

                    keyValues++;
                    break;
                case 4:
                    count = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new EtcdRangeResult(keyValues, count, firstModRevision, firstValue);
    }

    public static bool ReadTxnSucceeded(ReadOnlyMemory<byte> message)
    {
        ArraySegment<byte> segment = Segment(message);
        var input = new CodedInputStream(segment.Array!, segment.Offset, segment.Count);
        uint tag;
        bool succeeded = false;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 2)
            {
                succeeded = input.ReadBool();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return succeeded;
    }

    private static (long ModRevision, byte[]? Value) ReadKeyValue(CodedInputStream input, bool captureValue)
    {
        long modRevision = 0;
        byte[]? value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            if (field == 3)
            {
                modRevision = input.ReadInt64();
            }
            else if (field == 5 && captureValue)
            {
                value = input.ReadBytes().ToByteArray();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return (modRevision, value);
    }

    private static void WritePutFields(CodedOutputStream output, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value)
    {
        WriteBytesField(output, 1, key);
        WriteBytesField(output, 2, value);
    }

    private static int BytesFieldSize(int length) => 1 + CodedOutputStream.ComputeLengthSize(length) + length;

    private static void WriteBytesField(CodedOutputStream output, int field, ReadOnlyMemory<byte> bytes)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(bytes));
    }

    /// <summary>A stream over the frame with gRPC's prefix written: not compressed, then the message length big-endian.</summary>
    private static CodedOutputStream Output(byte[] frame, int messageSize)
    {
        Invariant.Check(frame.Length >= FrameSize(messageSize), "etcd request frame buffer too small");
        var output = new CodedOutputStream(frame);
        output.WriteRawTag(0);
        output.WriteRawTag((byte)(messageSize >> 24), (byte)(messageSize >> 16), (byte)(messageSize >> 8), (byte)messageSize);
        return output;
    }

    private static int Finish(CodedOutputStream output, int messageSize)
    {
        output.Flush();
        Invariant.Check(output.Position == FrameSize(messageSize), "etcd message size was computed exactly");
        return FrameSize(messageSize);
    }

    private static ArraySegment<byte> Segment(ReadOnlyMemory<byte> bytes)
    {
        bool isArray = MemoryMarshal.TryGetArray(bytes, out ArraySegment<byte> segment);
        Invariant.Check(isArray, "etcd codec works on array-backed memory");
        return segment;
    }
}
