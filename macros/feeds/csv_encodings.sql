{#-
    The encodings var raw_csv_encoding accepts, each with the name Spark's
    CSV reader gives it: the ones DuckDB's CSV reader decodes without an
    extension (the encodings extension is a download, unreachable here).
-#}

{% macro csv_encodings() %}
    {{ return({'utf-8': 'UTF-8', 'utf-16': 'UTF-16', 'latin-1': 'ISO-8859-1'}) }}
{% endmacro %}
