DELETE FROM series_timeline WHERE position = 1;
