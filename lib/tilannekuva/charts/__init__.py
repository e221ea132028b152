"""Charts in the house style, shown so that they survive HTML export and work offline.

Importing this package registers the house plotly template and the
``tilannekuva`` renderer and makes both the defaults, so ``fig.show()``,
``display(fig)`` and a figure as a cell's last value all render the same way.
"""

from tilannekuva.charts.render import PLOTLY_JS_PATH, show
from tilannekuva.charts.theme import PALETTE, TEMPLATE_NAME, source_note, use_house_style

use_house_style()

__all__ = ["PALETTE", "PLOTLY_JS_PATH", "TEMPLATE_NAME", "show", "source_note", "use_house_style"]
