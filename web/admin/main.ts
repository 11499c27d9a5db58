document.getElementById('main')!.textContent = 'Loading…';
