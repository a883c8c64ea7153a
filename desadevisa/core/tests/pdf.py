"""Reading what a generated PDF links to."""

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def pdf_link_uris(pdf: bytes) -> list[str]:
    """The addresses of every link annotation of ``pdf``, page by page."""
    document = pdfium.PdfDocument(pdf)
    uris = []
    for page in document:
        position = ctypes.c_int(0)
        link = pdfium_c.FPDF_LINK()
        while pdfium_c.FPDFLink_Enumerate(page, ctypes.byref(position), ctypes.byref(link)):
            action = pdfium_c.FPDFLink_GetAction(link)
            size = pdfium_c.FPDFAction_GetURIPath(document, action, None, 0)
            if size:
                buffer = ctypes.create_string_buffer(size)
                pdfium_c.FPDFAction_GetURIPath(document, action, buffer, size)
                uris.append(buffer.value.decode())
    return uris
