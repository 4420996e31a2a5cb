namespace HaproxyKafka.Contract;

public enum FieldType
{
    String,
    Integer,
    Number,
    Timestamp,
}
