"""The roadmap as a board sees it: an editable slide deck (``deck``), a one-page picture
(``picture`` for PNG, ``svg``) and a self-contained web page (``page``), all drawn from one
layout (``geometry``) of the plain data a plan workbook holds (``roadmap.input.board_reader``).
``files.write_board`` writes them through the output guard."""
