"""The district's bodies as editable data files, and the matcher over them.

    from gazetteer import load, Matcher
    gz = load()                       # gazetteer/data/*.yml
    Matcher(gz).resolve("Phòng LĐ-TB&XH")   # -> Resolution(body_id='phong-ldtbxh', method='exact', …)
"""

from gazetteer.model import Body, Gazetteer, load
from gazetteer.match import Matcher, Resolution

__all__ = ["Body", "Gazetteer", "Matcher", "Resolution", "load"]
