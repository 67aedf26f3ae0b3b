import sys
from pathlib import Path

# Test helpers such as factories.py sit beside the tests.
sys.path.insert(0, str(Path(__file__).parent))
