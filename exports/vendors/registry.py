"""The one place that maps a file suffix to a vendor-comparison writer (and its media type)."""

from __future__ import annotations

from chains.vendors.records import VendorComparison
from exports.formats import DOCX, XLSX, Format, FormatRegistry
from exports.vendors.docx_export import to_docx
from exports.vendors.json_export import to_json
from exports.vendors.markdown import to_markdown
from exports.vendors.xlsx import to_xlsx

VENDOR: FormatRegistry[VendorComparison] = FormatRegistry(
    "den Anbietervergleich",
    [
        Format(".xlsx", XLSX, to_xlsx),
        Format(".md", "text/markdown", to_markdown),
        Format(".json", "application/json", to_json),
        Format(".docx", DOCX, to_docx),
    ],
    what_en="the vendor comparison",
)
VENDOR_FORMATS = VENDOR.formats
vendor_format = VENDOR.lookup
comparison_bytes = VENDOR.to_bytes
export_comparison = VENDOR.write
